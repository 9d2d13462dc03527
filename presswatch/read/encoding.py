"""Bytes to text: byte-order marks, UTF-8, legacy Western encodings, and binary files refused."""

from __future__ import annotations

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
_BOMS = [
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
]

_ASCII = bytes(range(128))
# Control characters that never occur in text (tab, newlines, form feed excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    """Decode a file's bytes to text, or raise ArticleError saying why they are not text.

    Order: binary signatures; a byte-order mark (UTF-8/16/32, stripped); NUL bytes (binary);
    strict UTF-8; mostly-UTF-8 with a few stray bytes (kept, strays become U+FFFD); cp1252
    for mostly-ASCII text (latin-1 files, BBC's sport/199.txt); charset-normalizer for the rest.
    """
    refuse_binary(data)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as e:
                raise ArticleError(
                    f"undecodable text: invalid {codec} after its byte-order mark at byte {e.start + len(bom)}"
                ) from None
    if b"\x00" in data:
        raise ArticleError("binary content (NUL bytes)")
    text = _decode_without_bom(data)
    controls = len(_CONTROL.findall(text))
    if controls and controls * 100 > len(text):
        raise ArticleError(f"binary content ({controls} control characters in {len(text)})")
    return text


def refuse_binary(data: bytes) -> None:
    """Raise ArticleError naming what a misnamed binary file is (PNG, PDF, ZIP...)."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ArticleError(f"binary content ({kind})")


def _decode_without_bom(data: bytes) -> str:
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
    # charset-normalizer guesses poorly on short Western text with a few accented letters
    # ("Zürich" came out as cp1006), so mostly-ASCII text that cp1252 decodes is cp1252.
    high = len(data.translate(None, _ASCII))
    if high * 10 <= len(data):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes  # imported here: only legacy files need it

    best = from_bytes(data).best()
    if best is None:
        raise ArticleError("undecodable text: not UTF-8 and no known encoding fits")
    return str(best)
