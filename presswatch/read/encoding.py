"""Bytes to text: byte-order marks, UTF-8, legacy Western encodings, and binary files refused."""

from __future__ import annotations

import codecs
import re

from presswatch.records import ArticleError

# Checked before anything else: a misnamed image or archive must say what it is.
_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "GZIP archive"),
]

# UTF-32 first: the UTF-32-LE mark begins with the UTF-16-LE one.
BOMS = [
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
]

_ASCII = bytes(range(128))
# Control characters that never occur in text (tab, newlines, form feed excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode a file's bytes to text, or raise ArticleError saying why they are not text.

    Order: binary signatures; a byte-order mark (UTF-8/16/32, stripped); NUL bytes (binary);
    strict UTF-8; mostly-UTF-8 with a few stray bytes (kept, strays become U+FFFD); the
    `declared` charset (an HTML page's <meta charset>) when it decodes the bytes; cp1252
    for mostly-ASCII text (latin-1 files, BBC's sport/199.txt), or cp1250 / ISO-8859-2 when
    cp1252 would put symbols inside words (Polish); charset-normalizer for the rest.
    """
    refuse_binary(data)
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as e:
                raise ArticleError(
                    f"undecodable text: invalid {codec} after its byte-order mark at byte {e.start + len(bom)}"
                ) from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise ArticleError("binary content (NUL bytes)")
        return text
    text = _decode_without_bom(data, declared)
    controls = len(_CONTROL.findall(text))
    if controls and controls * 100 > len(text):
        raise ArticleError(f"binary content ({controls} control characters in {len(text)})")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark (some exports do), else None. Its Latin
    letters put a NUL in every other byte, all on one side; binary files scatter theirs."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if len(data) % 2 or (even and odd) or (even + odd) * 4 < len(data) // 2:
        return None  # a quarter of the characters at least are Latin-1: real text, not chance
    try:
        text = data.decode("utf-16-be" if even else "utf-16-le")
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else text


# An HTML page's declared charset, where the HTML spec's prescan looks: its first 1024 bytes.
_META_CHARSET = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.I)


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, as written, else None."""
    m = _META_CHARSET.search(data[:1024])
    return m[1].decode("ascii") if m else None


def _usable(declared: str | None) -> str | None:
    """The codec for a declared charset; latin-1 and ASCII mean cp1252 (as browsers read them); a
    UTF-16/32 declaration without a byte-order mark is wrong by definition (the spec says so)."""
    try:
        name = codecs.lookup(declared).name if declared else None
    except LookupError:
        return None
    if name is None or name.startswith(("utf-16", "utf-32")):
        return None
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def refuse_binary(data: bytes) -> None:
    """Raise ArticleError naming what a misnamed binary file is (PNG, PDF, ZIP...)."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ArticleError(f"binary content ({kind})")


def _decode_without_bom(data: bytes, declared: str | None = None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a few bytes pasted from elsewhere: valid multi-byte sequences
    # outnumber the bad bytes (a cp1252 text almost never holds one by chance).
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if len(lenient) - len(lenient.encode("ascii", errors="ignore")) - bad > bad:
        return lenient
    # The page's own word before a guess: the cp1252 guess below read ISO-8859-2 Polish as "Rz¹d".
    if codec := _usable(declared):
        try:
            text = data.decode(codec)
            text.encode("utf-8")  # "unicode_escape" or "utf-7" can spell lone surrogates
            return text
        except (LookupError, ValueError):  # not a text codec ("rot13"), or not these bytes
            pass
    # charset-normalizer guesses poorly on short Western text with a few accented letters
    # ("Zürich" came out as cp1006, Polish as cp1257), so mostly-ASCII text is read as cp1252,
    # unless that puts symbols inside words: then as Central European.
    high = len(data.translate(None, _ASCII))
    if high * 10 <= len(data) and (text := _single_byte(data)) is not None:
        return text
    from charset_normalizer import from_bytes  # imported here: only legacy files need it

    best = from_bytes(data).best()
    if best is None:
        raise ArticleError("undecodable text: not UTF-8 and no known encoding fits")
    return str(best)


# Mostly-ASCII legacy text, in the order tried: Western, then Central European (Windows, ISO).
_SINGLE_BYTE = ("cp1252", "cp1250", "iso8859_2")
# Not letters, yet at home inside a word: apostrophes, dashes, the Catalan middle dot, soft hyphen.
_IN_WORD = frozenset("\u2019\u2018\u00b4`\u2013\u2014\u00b7\u00ad")
_C1 = re.compile(r"[\x80-\x9f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _single_byte(data: bytes) -> str | None:
    """The first of _SINGLE_BYTE whose reading puts no symbol between two letters, else the one
    that puts the fewest; None when none decodes. Polish cp1250 read as cp1252 is "Rz¹d og³osi³"
    ("Rząd ogłosił"); a Western text's accented letters stay letters in it."""
    best: tuple[int, str] | None = None
    for codec in _SINGLE_BYTE:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _C1.search(text):  # ISO-8859's C1 controls: these bytes are not this encoding's
            continue
        odd = _symbols_in_words(text)
        if odd == 0:
            return text
        if best is None or odd < best[0]:
            best = (odd, text)
    return best[1] if best else None


def _symbols_in_words(text: str) -> int:
    n = 0
    for m in _NON_ASCII.finditer(text):
        i, ch = m.start(), m.group()
        if not ch.isalpha() and ch not in _IN_WORD and 0 < i < len(text) - 1 \
                and text[i - 1].isalpha() and text[i + 1].isalpha():
            n += 1
    return n
