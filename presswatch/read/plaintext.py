"""Plain text articles: the title, date and source conventions of wire copy and news corpora."""

from __future__ import annotations

import re

from presswatch.records import Article
from presswatch.read.fields import (
    dateline_agency,
    make_article,
    normalize_newlines,
    split_credit,
    split_paragraphs,
    unescape_references,
    wrap_width,
)

WIRE_HEADER = re.compile(r"date:?\s+(?P<date>\d{4}-\d{1,2}-\d{1,2})\b\s*(?P<headline>.*)", re.I)
_ATX_HEADING = re.compile(r"#{1,6}\s+(?P<title>.+?)(?:\s+#+)?\s*")
_HEADLINE_MAX_WORDS = 25


def read_plain_text(text: str, problems: list[str]) -> list[Article]:
    """One article from plain text (Markdown files: presswatch.read.markdown).

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
    text = unescape_references(normalize_newlines(text))
    lines = text.split("\n")
    first_idx = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    first = lines[first_idx].strip() if first_idx < len(lines) else ""
    rest = "\n".join(lines[first_idx + 1 :])
    title = published = source = None
    if m := WIRE_HEADER.fullmatch(first):
        published = m["date"]
        title, source = split_credit(m["headline"], bare=True)
    elif m := _ATX_HEADING.fullmatch(first):
        title, source = split_credit(m["title"], bare=False)
    elif _is_headline(first, lines[first_idx + 1 :]):
        title, source = split_credit(first, bare=False)
    else:
        rest = text
    paragraphs = split_paragraphs(rest, lines_are_paragraphs=one_per_line(rest), wrap_width=wrap_width(rest))
    if source is None and paragraphs:
        source = dateline_agency(paragraphs[0])
    return [make_article(paragraphs, title=title, published=published, source=source, problems=problems)]


def _is_headline(first: str, following: list[str]) -> bool:
    if not following or following[0].strip() or not any(line.strip() for line in following):
        return False  # not a one-line paragraph followed by more text
    return looks_like_headline(first)


def looks_like_headline(line: str) -> bool:
    """Short, not a dateline, and not ending like a sentence ("?", "!" and "..." may end one)."""
    if len(line.split()) >= _HEADLINE_MAX_WORDS or dateline_agency(line):
        return False
    end = line.rstrip("\"'”’)]*_ ")
    return end.endswith(("...", "…")) or not end.endswith((".", ",", ";", ":"))


def one_per_line(text: str) -> bool:
    """Text whose lines mostly end a sentence or a row (one sentence per line, as corpora and
    some wire feeds write it: AIDA/CoNLL): without blank lines each line is a paragraph, so
    results tables and datelines keep their lines for the NER's table reader. Hard-wrapped
    prose ends most lines mid-sentence (0 of 300 BBC articles wrapped at 72)."""
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    if len(lines) < 3:
        return False
    ended = sum(1 for line in lines if line[-1] in ".!?:\"')”’" or line[-1].isdigit())
    return ended >= 0.6 * len(lines)
