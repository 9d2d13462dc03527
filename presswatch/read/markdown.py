"""Markdown articles: parsed by markdown-it-py (CommonMark, plus GFM tables and strikethrough)
and rendered from its token stream to the plain paragraphs spaCy reads.

Each leaf block is one paragraph: a heading, a paragraph (also inside list items, nested lists
and blockquotes), a code block, a table row (its cells joined by "; ", header row included), the
text of an HTML block (tags dropped; comments, scripts and styles dropped whole). Inline markup
keeps only its text: emphasis, strikethrough and code spans their content, links their text,
images their alt text, inline HTML tags nothing. Horizontal rules and link reference
definitions give nothing.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from presswatch.read.fields import (
    DATE_KEYS,
    LANGUAGE_KEYS,
    SOURCE_KEYS,
    TITLE_KEYS,
    URL_KEYS,
    clean_inline,
    dateline_agency,
    make_article,
    normalize_newlines,
    split_credit,
    split_paragraphs,
)
from presswatch.read.plaintext import WIRE_HEADER, looks_like_headline
from presswatch.records import Article

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<block>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TABLE_CELL_SEPARATOR = "; "
# HTML blocks: what is dropped whole, the tags that break paragraphs, and any other tag.
_HTML_SKIP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<\?.*?\?>|<![A-Za-z[].*?>", re.I | re.S)
_HTML_BREAK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|figure|figcaption|hr)\b[^>]*>", re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


@dataclass(frozen=True)
class Block:
    text: str  # inline markup rendered; a line break in the source stays "\n"
    kind: str  # "heading", "paragraph" or "other" (code, table row, HTML)
    top_level: bool  # not inside a list or a blockquote
    lines: tuple[int, int]  # source lines [start, end)


def read_markdown(text: str, problems: list[str]) -> list[Article]:
    """One article from a Markdown file.

    `---` front matter (`title:`, `date:`, `source:`, `url:`, `lang:`) wins over the text. The
    title is the first block when it is a heading (ATX or setext); else the first line of a
    first top-level paragraph, by the plain-text conventions: a wire header
    (`date YYYY-MM-DD <headline> <AGENCY>`) or a headline line (a one-line paragraph with more
    text after a blank line). The source also comes from a headline's credit or a dateline
    opening the body ("NAIROBI (Reuters) - ...").
    """
    text, meta = _front_matter(normalize_newlines(text))
    blocks = [b for b in markdown_blocks(text) if clean_inline(b.text)]
    title = published = source = None
    rest = blocks
    if blocks and blocks[0].kind == "heading":
        title, source = split_credit(blocks[0].text, bare=False)
        rest = blocks[1:]
    elif blocks and blocks[0].kind == "paragraph" and blocks[0].top_level:
        first, more = blocks[0], blocks[1:]
        line, _, remainder = first.text.partition("\n")
        if m := WIRE_HEADER.fullmatch(line.strip()):
            published = m["date"]
            title, source = split_credit(m["headline"], bare=True)
            rest = [b for b in (_remainder(first, remainder), *more) if b is not None]
        elif (not remainder and more and more[0].lines[0] > first.lines[1]
              and looks_like_headline(line.strip())):
            title, source = split_credit(line.strip(), bare=False)
            rest = more
    paragraphs = [p for p in (clean_inline(b.text) for b in rest) if p]
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


def markdown_blocks(text: str) -> list[Block]:
    """The leaf blocks of a Markdown text, in order, with their inline markup rendered."""
    blocks: list[Block] = []
    containers = 0  # open lists and blockquotes
    kind, lines = "paragraph", (0, 0)
    row: list[str] | None = None
    row_lines = (0, 0)
    for token in _parser().parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            containers += 1
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            containers -= 1
        elif token.type in ("heading_open", "paragraph_open"):
            kind = "heading" if token.type == "heading_open" else "paragraph"
            lines = tuple(token.map or (0, 0))
        elif token.type == "tr_open":
            row, row_lines = [], tuple(token.map or (0, 0))
        elif token.type == "tr_close" and row is not None:
            blocks.append(Block(_TABLE_CELL_SEPARATOR.join(c for c in row if c), "other",
                                containers == 0, row_lines))
            row = None
        elif token.type == "inline":
            rendered = _inline_text(token.children or [])
            if row is not None:
                row.append(clean_inline(rendered))
            else:
                blocks.append(Block(rendered, kind, containers == 0, lines))
        elif token.type in ("fence", "code_block", "html_block"):
            content = _html_text(token.content) if token.type == "html_block" else token.content
            where = tuple(token.map or (0, 0))
            blocks.extend(Block(p, "other", containers == 0, where) for p in split_paragraphs(content))
    return blocks


def _inline_text(tokens) -> str:
    out = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif token.type == "image":  # its alt text, itself inline markup
            out.append(_inline_text(token.children or []))
    return "".join(out)


def _html_text(fragment: str) -> str:
    text = _HTML_SKIP.sub(" ", fragment)
    text = _HTML_BREAK.sub("\n\n", text)
    return html.unescape(_HTML_TAG.sub("", text))


def _remainder(first: Block, remainder: str) -> Block | None:
    """What follows a wire header's line inside its paragraph."""
    return Block(remainder, "paragraph", True, (first.lines[0] + 1, first.lines[1])) if remainder.strip() else None


@functools.cache
def _parser():
    # Imported on the first Markdown file: most runs read none.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


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
