"""What every reader shares: text clean-up, paragraphs, agencies, dates, language, the Article."""

from __future__ import annotations

import email.utils
import functools
import html
import re
import threading
from datetime import date, datetime, timezone

from dateutil import parser as dateutil_parser

from presswatch.records import Article, ArticleError, normalize_text
from presswatch.read.limits import cap_fields

# Field names used by news APIs, feeds and schema.org, lower-cased; the first present wins
# (JSON records have their own, longer lists: see json_fields).
TITLE_KEYS = ("title", "headline")
BODY_KEYS = ("body", "text", "content", "articlebody", "description", "content_text", "content_html")
DATE_KEYS = ("published_at", "publishedat", "date", "pubdate", "datepublished", "published", "date_published")
SOURCE_KEYS = ("source", "outlet", "publisher", "site_name", "sitename")
URL_KEYS = ("url", "link")
LANGUAGE_KEYS = ("language", "lang", "inlanguage")

# Wire agencies as they sign copy, mapped to the one name stored in Article.source.
AGENCIES = {
    "AFP": "AFP", "Agence France-Presse": "AFP", "Agence France Presse": "AFP",
    "Reuters": "Reuters", "Thomson Reuters": "Reuters",
    "AP": "AP", "Associated Press": "AP", "The Associated Press": "AP",
    "AAP": "AAP", "dpa": "dpa", "Xinhua": "Xinhua", "UPI": "UPI", "Bloomberg": "Bloomberg",
    "ANSA": "ANSA", "EFE": "EFE", "Kyodo": "Kyodo", "Kyodo News": "Kyodo",
    "PA": "PA", "PA Media": "PA", "Press Association": "PA",
    "Yonhap": "Yonhap", "Anadolu": "Anadolu", "TASS": "TASS", "Interfax": "Interfax",
    "PTI": "PTI", "IANS": "IANS",
}  # fmt: skip
# Only as spelled or in capitals ("REUTERS"): "ap" or "Pa" are not credits.
_AGENCY_FORMS = {form: name for spelled, name in AGENCIES.items() for form in (spelled, spelled.upper())}
_AGENCY = "|".join(re.escape(f) for f in sorted(_AGENCY_FORMS, key=len, reverse=True))
# "... attack. AFP", "... - Reuters", "... (AP)"; lazy `rest` leaves the separator to `sep`.
_TRAILING_CREDIT = re.compile(rf"^(?P<rest>.*?)(?P<sep>\s*[-–—|/]\s*|\s*\(|\s+|^)(?P<agency>{_AGENCY})\)?\s*$")
# "WASHINGTON (Reuters) - ", "GENEVA, Oct 12 (AFP) — ", "(AP) -"
_DATELINE = re.compile(rf"^(?:[A-Z][^()\n]{{0,60}}?)?\s*\((?P<agency>{_AGENCY})\)\s*[-–—:]")


def split_credit(line: str, *, bare: bool) -> tuple[str, str | None]:
    """Split a trailing agency credit off a headline: ("Headline.", "AFP").

    bare=True also accepts a credit after a plain space (the `date ...` wire header);
    otherwise it needs a dash, pipe or parentheses, so "... new PA" is left alone.
    """
    m = _TRAILING_CREDIT.match(line)
    if m is None or (not bare and not m["sep"].strip()):
        return line, None
    return m["rest"].strip(), _AGENCY_FORMS[m["agency"]]


def dateline_agency(paragraph: str) -> str | None:
    m = _DATELINE.match(paragraph)
    return _AGENCY_FORMS[m["agency"]] if m else None


# --- text clean-up -------------------------------------------------------------------------

# Invisible junk: C0/C1 controls, zero-width space, word joiner, stray BOMs.
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # from JSON "\ud800" escapes; not encodable as UTF-8
_WS = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_INDENTED_LINE = re.compile(r"\n(?=[ \t]+\S)")
# A line opening with a list bullet ("-", "*", "•").
_BULLET_LINE = re.compile(r"\n(?=[ \t]*[-*\u2022\u25cf\u25aa][ \t]+\S)")
_SEPARATOR = re.compile(r"[\W_]+")
# Terminals and e-mail wrap prose at 60-80 columns: lines that mostly run longer were not wrapped,
# and lines mostly shorter than 40 are rows, headings or list items.
_WRAP_MIN, _WRAP_MAX = 40, 100
_HTML_TAG_NAMES = (
    "a|abbr|article|aside|b|blockquote|br|caption|cite|code|div|em|figcaption|figure|font|footer|h[1-6]|"
    "header|hr|i|iframe|img|li|mark|ol|p|picture|pre|q|s|section|small|source|span|strong|sub|sup|"
    "table|td|th|time|tr|u|ul|video"
)
# Known tag names only: Reuters writes tickers as "<SRD>", which is not markup.
_HTML_TAG = re.compile(rf"</?(?:{_HTML_TAG_NAMES})\b[^>]*>", re.I)
_HTML_BLOCK = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|figure|hr)\b[^>]*>", re.I)
_HTML_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)


def clean_inline(text: str) -> str:
    """One line of text: junk removed, whitespace collapsed, trimmed."""
    return _WS.sub(" ", _JUNK.sub("", _SURROGATE.sub("\ufffd", text))).strip()


# Plain text that went through an HTML export keeps character references ("caf&#233;"); only
# complete ones are decoded, so "AT&T" or "R&D" stay as they are.
_CHAR_REF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# "¿" between two letters is a curly apostrophe lost to a code page ("Blair&#191;s" in BBC News).
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\u00bf(?=[A-Za-z])")


def unescape_references(text: str) -> str:
    if "&" in text:
        text = _CHAR_REF.sub(lambda m: html.unescape(m.group()), text)
    return _LOST_APOSTROPHE.sub("\u2019", text) if "\u00bf" in text else text


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n").replace("\u2028", "\n")


def strip_html(text: str) -> str:
    """Markup in a feed's body or title to plain text: block tags become paragraph breaks."""
    if _HTML_TAG.search(text):
        text = _HTML_DROP.sub(" ", text)
        text = _HTML_BLOCK.sub("\n\n", text)
        text = _HTML_TAG.sub("", text)
    return html.unescape(text)


def split_paragraphs(text: str, *, lines_are_paragraphs: bool = False,
                     wrap_width: int | None = None) -> list[str]:
    """Paragraphs, each on one line, whitespace collapsed, empty ones dropped.

    Blank lines separate paragraphs when there are any; else an indented line starts one (the
    typewriter convention of Reuters-21578); else, with lines_are_paragraphs (feeds, extracted
    HTML), each line is one; else the whole text is one paragraph. Inside those, with a
    wrap_width (plain text), every line is one unless the text was wrapped (unwrap); and each
    item of a bulleted list is one.
    """
    text = normalize_newlines(text)
    if _BLANK_LINE.search(text):
        blocks = _BLANK_LINE.split(text)
    elif _INDENTED_LINE.search(text):
        blocks = _INDENTED_LINE.split(text)
    elif lines_are_paragraphs:
        blocks = text.split("\n")
    else:
        blocks = [text]
    if wrap_width is not None:
        blocks = [part for b in blocks for part in unwrap(b, wrap_width)]
    blocks = [item for b in blocks for item in _list_items(b)]
    return [p for p in map(clean_inline, blocks) if p]


def _list_items(block: str) -> list[str]:
    """A block holding a list (two or more lines opening with a bullet), one paragraph an item; a
    single dash opening a wrapped line ("... the\n- as ever - ...") is not a list."""
    parts = _BULLET_LINE.split(block)
    return parts if len(parts) >= 3 else [block]


def wrap_width(text: str) -> int:
    """The width a text's lines were broken at, if they were: the 90th percentile of their
    lengths (hard-wrapped prose fills most lines to the width; a longer odd line does not count)."""
    lengths = sorted(len(line.rstrip()) for line in text.split("\n") if line.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def unwrap(block: str, width: int) -> list[str]:
    """The block as paragraphs: one, its lines joined, when the text was wrapped at `width`
    (wrap_width: a terminal's or an e-mail's 40-100 columns); each line its own when the lines
    run far longer (a paragraph-per-line page); when they are far shorter (results rows,
    headings), each line its own unless it goes on on the next (_continues)."""
    if _WRAP_MIN <= width <= _WRAP_MAX:
        return [block]
    lines = block.split("\n")
    if width > _WRAP_MAX:
        return lines
    out = [lines[0]]
    for line in lines[1:]:
        if _continues(out[-1], line):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def _continues(line: str, following: str) -> bool:
    """A sentence running on from one short line to the next: the next opens in lower case, or
    the line ends on a comma. Rows end on figures or units ("29 cts" / "Net 13,555,000")."""
    return following.lstrip()[:1].islower() or line.rstrip().endswith(",")


def drop_repeats(paragraphs: list[str]) -> tuple[list[str], int]:
    """Keep the first copy of each paragraph; count the verbatim repeats dropped. Separators
    (no letter or digit: "___", "* * *") are kept every time: they end one live-blog entry or
    section and start the next, and the quote and speaker rules read that boundary."""
    seen: set[str] = set()
    kept = []
    for p in paragraphs:
        if p not in seen or _SEPARATOR.fullmatch(p):
            kept.append(p)
            seen.add(p)
    return kept, len(paragraphs) - len(kept)


# --- dates ---------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_DIGITS_DATE = re.compile(r"(19\d\d|20\d\d|2100)(\d\d)(\d\d)(?:\d{6})?")
# What a CMS or an API prints for a zero or missing timestamp (1970-01-01 00:00 UTC, also shown
# at a western offset): never an article's day, which would make a 1970 spike.
EPOCH_ZERO_DAYS = (date(1969, 12, 31), date(1970, 1, 1))
# Epoch seconds below this (before March 1973) are zero, a year (2024) or a YYYYMM, not a timestamp.
MIN_EPOCH = 100_000_000
FUTURE_DAYS = 1  # a writer at UTC+14 may date an item one day after today's UTC date, not more


def parse_date(value: object) -> date | None:
    """A publication date from ISO 8601, RFC 2822, "October 12, 2023", or epoch seconds.

    The date is the one written, in the writer's own UTC offset. Returns None when the value
    is not a date between 1900 and 2100, or not an article's day (see read_date).
    """
    return read_date(value)[0]


def read_date(value: object, today: date | None = None) -> tuple[date | None, str | None]:
    """(the article's day, None), or (None, why the value is not taken as its day): unparseable,
    out of 1900-2100, without a day ("2026", "March 2026"), the epoch's zero, an epoch number
    below MIN_EPOCH, or more than FUTURE_DAYS after `today` (UTC). The article then falls back to
    its ingest day."""
    shown = repr(str(value)[:80])
    if (isinstance(value, (int, float)) and not isinstance(value, bool) and value < MIN_EPOCH
            and not _DIGITS_DATE.fullmatch(str(value))):
        return None, f"epoch {shown} is a missing date or not a timestamp, not taken as the day"
    try:
        found = _parse_date(value)
    except _Imprecise:
        return None, f"date {shown} has no day, not taken as the day"
    if found is None or not 1900 <= found.year <= 2100:
        return None, f"unparseable date {shown}"
    if found in EPOCH_ZERO_DAYS:
        return None, f"date {shown} is the epoch's zero (a missing date), not taken as the day"
    today = today or datetime.now(timezone.utc).date()
    if (found - today).days > FUTURE_DAYS:
        return None, f"date {shown} is in the future, not taken as the day"
    return found, None


class _Imprecise(ValueError):
    """The text names a year or a month but no day."""


def _parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    digits = isinstance(value, (int, str)) and not isinstance(value, bool)
    if digits and (m := _DIGITS_DATE.fullmatch(str(value).strip())):
        # 20260301 or 20260301143000 (GDELT's SQLDATE and DATE): a calendar date, not epoch
        # seconds of August 1970 (or milliseconds of the 27th century) as it was read.
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > 1e11 else value  # milliseconds, as in JavaScript
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    if not _YEAR.search(text):  # dateutil would fill a missing year from today
        return None
    try:
        found = dateutil_parser.parse(text, default=datetime(2000, 1, 1)).date()
        # A day or month dateutil filled in from the default ("2026" -> Jan 1) was never written.
        if dateutil_parser.parse(text, default=datetime(2000, 12, 28)).date() != found:
            raise _Imprecise(text)
        return found
    except _Imprecise:
        raise
    except (ValueError, OverflowError):
        return None


# --- language ------------------------------------------------------------------------------

_SAMPLE_CHARS = 600  # enough to tell a news article's language, cheap to classify
_MIN_CONFIDENCE = 0.5


_identifier_lock = threading.Lock()


def load_language_identifier() -> None:
    """Load the language identifier now (presswatch.warmup starts it in the background)."""
    _identifier()


def _identifier():
    # The lock: a reader waits for the load presswatch.warmup started, not start a second one.
    with _identifier_lock:
        return _load_identifier()


@functools.cache
def _load_identifier():
    # py3langid (model in the wheel): its load is slow, so once per process and only when needed.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence); "und" when unsure or the language has no two-letter code."""
    code, confidence = _identifier().classify(text[:_SAMPLE_CHARS])
    if confidence < _MIN_CONFIDENCE or len(code) != 2:
        return "und", confidence
    return code, confidence


def language_code(value: object) -> str | None:
    """A declared language ("en", "en-US", "EN_gb") as ISO 639-1, else None."""
    if isinstance(value, str) and (m := re.fullmatch(r"\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9-]*)?\s*", value)):
        return m[1].lower()
    return None


# --- the Article ---------------------------------------------------------------------------


def make_article(
    paragraphs: list[str],
    *,
    title: str | None = None,
    published: object = None,
    source: str | None = None,
    url: str | None = None,
    language: object = None,
    authors: str | None = None,
    record_idx: int = 0,
    problems: list[str],
    where: str = "",
) -> Article:
    """Assemble an Article; notes non-fatal trouble in problems, prefixed with `where`.

    The detected language wins over a declared one (CMS templates declare "en" everywhere);
    the declared one is used when the text is too short or odd to tell.
    """
    title = clean_inline(title) if title else None
    if title and paragraphs and normalize_text(paragraphs[0]) == normalize_text(title):
        paragraphs = paragraphs[1:]  # pages and feeds often repeat the headline as line one
    kept, repeats = drop_repeats(paragraphs)
    if not kept:
        raise ArticleError(f"no article text found (only a title: {title!r})" if title else "no article text found")
    body = "\n\n".join(kept)

    published_at, why = read_date(published)
    if published_at is None and published not in (None, ""):
        problems.append(f"{where}{why}")

    declared = language_code(language)
    detected, confidence = detect_language(body)
    if detected == "und":
        detected = declared or "und"
    elif declared and declared != detected:
        problems.append(f"{where}declared language {declared!r} but the text reads as {detected!r} ({confidence:.2f})")

    return cap_fields(Article(
        title=title or None,
        body=body,
        published_at=published_at,
        source=clean_inline(source) or None if isinstance(source, str) else None,
        language=detected,
        url=clean_inline(url) or None if isinstance(url, str) else None,
        record_idx=record_idx,
        repeated_paragraphs=repeats,
        # Cleaned like the other text fields: a JSON "\ud800" byline failed the whole batch's load.
        authors=clean_inline(authors) or None if isinstance(authors, str) else None,
    ), problems, where)
