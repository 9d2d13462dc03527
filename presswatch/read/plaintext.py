"""Plain text and Markdown articles."""

from __future__ import annotations

import re

from presswatch.records import Article
from presswatch.read.fields import (
    DATE_KEYS,
    LANGUAGE_KEYS,
    SOURCE_KEYS,
    TITLE_KEYS,
    URL_KEYS,
    dateline_agency,
    make_article,
    normalize_newlines,
    split_credit,
    split_paragraphs,
)

_WIRE_HEADER = re.compile(r"date:?\s+(?P<date>\d{4}-\d{1,2}-\d{1,2})\b\s*(?P<headline>.*)", re.I)
_ATX_HEADING = re.compile(r"#{1,6}\s+(?P<title>.+?)(?:\s+#+)?\s*")
_HEADLINE_MAX_WORDS = 25
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<block>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)

# Markdown to plain text, in order: block markers first (headings and list items become
# paragraphs of their own), then inline markup. Enough for news briefs, not a full parser.
_MARKDOWN = [
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rule
    (re.compile(r"^ {0,3}(?:```|~~~).*$", re.M), ""),  # code fence (its content is kept)
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M), r"\n\1\n"),  # heading
    (re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M), ""),  # blockquote
    (re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(.*)$", re.M), r"\n\1\n"),  # list item
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.M), ""),  # link reference definition
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), ""),  # image
    (re.compile(r"\[([^\]\n]+)\](?:\([^)\n]*\)|\[[^\]\n]*\])"), r"\1"),  # link
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),  # inline HTML, autolinks
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # emphasis (not snake_case)
    (re.compile(r"~~(.+?)~~"), r"\1"),  # strikethrough
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),  # backslash escapes
]


def strip_markdown(text: str) -> str:
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text


def read_plain_text(text: str, problems: list[str], *, markdown: bool = False) -> list[Article]:
    """One article from plain text or Markdown.

    The title comes from the first non-blank line, by the first convention that fits:
    - wire header: `date YYYY-MM-DD <headline> <AGENCY>` gives date, title and source;
    - Markdown heading: `# Title`;
    - headline line (BBC corpus): a first paragraph of one line, fewer than 25 words, not ending
      in `.` `,` `;` `:` (after closing quotes), with more text after it. "?", "!" and "..."
      are allowed: headlines ask, exclaim and trail off.
    Otherwise there is no title and every line is body. A headline ending in " - Reuters" or
    "(AP)" gives the source; so does a dateline opening the body, "WASHINGTON (Reuters) - ...".
    Markdown files may open with `---` front matter (`title:`, `date:`, `source:`, `url:`,
    `lang:`), which wins over what the text says.
    """
    text = normalize_newlines(text)
    meta: dict[str, str] = {}
    if markdown:
        text, meta = _front_matter(text)
    lines = text.split("\n")
    first_idx = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    first = lines[first_idx].strip() if first_idx < len(lines) else ""
    rest = "\n".join(lines[first_idx + 1 :])
    title = published = source = None
    if m := _WIRE_HEADER.fullmatch(first):
        published = m["date"]
        title, source = split_credit(m["headline"], bare=True)
    elif m := _ATX_HEADING.fullmatch(first):
        title, source = split_credit(m["title"], bare=False)
    elif _is_headline(first, lines[first_idx + 1 :]):
        title, source = split_credit(first, bare=False)
    else:
        rest = text
    if markdown:
        rest = strip_markdown(rest)
        title = strip_markdown(title) if title else title
    paragraphs = split_paragraphs(rest)
    if source is None and paragraphs:
        source = dateline_agency(paragraphs[0])
    return [
        make_article(
            paragraphs,
            title=_meta(meta, TITLE_KEYS) or title,
            published=_meta(meta, DATE_KEYS) or published,
            source=_meta(meta, SOURCE_KEYS) or source,
            url=_meta(meta, URL_KEYS),
            language=_meta(meta, LANGUAGE_KEYS),
            problems=problems,
        )
    ]


def _is_headline(first: str, following: list[str]) -> bool:
    if not following or following[0].strip() or not any(line.strip() for line in following):
        return False  # not a one-line paragraph followed by more text
    if len(first.split()) >= _HEADLINE_MAX_WORDS or dateline_agency(first):
        return False
    end = first.rstrip("\"'”’)]*_ ")
    return end.endswith(("...", "…")) or not end.endswith((".", ",", ";", ":"))


def _front_matter(text: str) -> tuple[str, dict[str, str]]:
    """Split YAML-style front matter off a Markdown file: flat `key: value` lines only."""
    m = _FRONT_MATTER.match(text)
    if m is None:
        return text, {}
    meta = {}
    for line in m["block"].split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not line[:1].isspace():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return text[m.end() :], meta


def _meta(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if meta.get(k)), None)
