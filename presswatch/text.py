"""Untrusted text (file names, titles, sources, reasons) made safe to render.

One helper per kind of output: `plain` for one-line text (CLI output, logs, run names),
`markdown` for markdown (the digest, artifact descriptions, and table artifacts' cells, which
Prefect's UI renders as markdown). Both cap the length, so a 5 MB title never reaches an artifact.
"""

from __future__ import annotations

import html
import re

# Line breaks, C0/C1 controls and the bidi overrides that make text display in another order.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Inline markup anywhere; block markup (heading, list, quote) only where a line starts.
_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]()!|~])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+(?=[.)]))")
# A scheme that runs code or smuggles content when a renderer makes it a link.
# ("data:" only when a payload follows, so the prose "Data: ..." is left alone.)
_UNSAFE_SCHEME = re.compile(r"\b(javascript|vbscript)(\s*):|\b(data):(?=\S)", re.I)

TEXT_LIMIT = 300  # characters of one rendered value: enough for a title, never megabytes


def _escape_control(match: re.Match) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": " "}


def cut(text: str, limit: int = TEXT_LIMIT) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def plain(value: object, limit: int = TEXT_LIMIT) -> str:
    """One line of text: newlines and control characters shown as escapes, length capped."""
    return cut(_CONTROL.sub(_escape_control, str(value)), limit)


def markdown(value: object, limit: int = TEXT_LIMIT) -> str:
    """Text for a markdown document or table cell: one line, markdown specials and HTML escaped,
    `javascript:`-style schemes defused, so no name can format, link or inject markup."""
    text = plain(value, limit)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    text = _MARKDOWN_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if not m.group(2).isdigit()
                                    else f"{m.group(1)}{m.group(2)}\\", text)
    return _UNSAFE_SCHEME.sub(_defuse, text)


def _defuse(m: re.Match) -> str:
    if m.group(1):
        return f"{m.group(1)}{m.group(2)}&#58;"
    return f"{m.group(3)}&#58;"


def html_text(value: object, limit: int = TEXT_LIMIT) -> str:
    """Text for an HTML element or attribute value: one line, length capped, &<>"' escaped."""
    return html.escape(plain(value, limit), quote=True)


_SAFE_SCHEMES = ("http://", "https://")


def safe_url(value: object, limit: int = 2000) -> str | None:
    """A web link worth showing: an http(s) URL without spaces or control characters, else None
    (a `javascript:` or `data:` link from the web is dropped, not made clickable)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url.lower().startswith(_SAFE_SCHEMES) or len(url) > limit or _CONTROL.search(url) or " " in url:
        return None
    return url
