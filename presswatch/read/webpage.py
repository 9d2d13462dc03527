"""HTML pages: trafilatura finds the article text and its metadata; no boilerplate rules here."""

from __future__ import annotations

import re

from presswatch.records import Article, ArticleError
from presswatch.read.fields import make_article, split_paragraphs

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2}(?:[-_][A-Za-z0-9]+)?)", re.I)


def read_html(text: str, problems: list[str]) -> list[Article]:
    import trafilatura  # imported here: slow to import, and only HTML needs it

    try:
        doc = trafilatura.bare_extraction(
            text,  # content, never a URL: nothing is fetched
            with_metadata=True,
            include_comments=False,
            include_tables=False,  # prose for the NLP, not cells
            deduplicate=False,  # repeats are counted by make_article
            favor_precision=True,  # menus and footers are worse than a missed paragraph
            # The page's stated publication date; not a guess from "© 2021" in the footer.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # lxml and trafilatura on malformed markup: quarantine with the reason
        raise ArticleError(f"HTML could not be parsed: {type(e).__name__}: {e}") from e
    if doc is None or not (doc.text or "").strip():
        raise ArticleError("HTML page has no article text")
    declared = _HTML_LANG.search(text[:5000])
    return [
        make_article(
            split_paragraphs(doc.text, lines_are_paragraphs=True),
            title=doc.title,
            published=doc.date,
            source=doc.sitename,
            url=doc.url,
            language=doc.language or (declared[1] if declared else None),
            problems=problems,
        )
    ]
