"""HTML pages: trafilatura finds the article text and its metadata; no boilerplate rules here.

Also the cleaning of HTML fragments (a feed's content:encoded, an API's HTML body field): a
fragment is already the article, so it is not searched for one, only reduced to paragraphs.
"""

from __future__ import annotations

import re

from presswatch.records import Article, ArticleError
from presswatch.read.fields import make_article, split_paragraphs, strip_html

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2}(?:[-_][A-Za-z0-9]+)?)", re.I)
NO_TEXT = "HTML page has no article text"
# A date in a URL's path: /2024/03/14/, /2024-03-14-, /20240314/
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
                       r"|/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")


def read_html(text: str, problems: list[str], *, url: str | None = None, crawled: object = None) -> list[Article]:
    """One article from a page. url: where it was fetched (a WARC record's target URI);
    crawled: when (WARC-Date), the date of last resort.

    The body: trafilatura favouring precision (menus and footers are worse than a missed
    paragraph); when that finds nothing, once more favouring recall (extraction_mode says
    which). The date: the page's metadata; else a date in its URL; else htmldate's search of
    the page itself; else the crawl date (date_source says which).
    """
    doc, mode = _extract(text, favor="precision")
    if doc is None:
        doc, mode = _extract(text, favor="recall")
    if doc is None:
        raise ArticleError(NO_TEXT)
    page_url = doc.url or url
    published, date_source = _page_date(text, doc.date, page_url or url, crawled)
    declared = _HTML_LANG.search(text[:5000])
    article = make_article(
        split_paragraphs(doc.text, lines_are_paragraphs=True),
        title=doc.title,
        published=published,
        source=doc.sitename,
        url=page_url,
        language=doc.language or (declared[1] if declared else None),
        authors=doc.author or None,
        problems=problems,
    )
    article.extraction_mode = mode
    article.date_source = date_source if article.published_at else "none"
    return [article]


def _extract(text: str, *, favor: str):
    import trafilatura  # imported here: slow to import, and only HTML needs it

    try:
        doc = trafilatura.bare_extraction(
            text,  # content, never a URL: nothing is fetched
            with_metadata=True,
            include_comments=False,
            include_tables=False,  # prose for the NLP, not cells
            deduplicate=False,  # repeats are counted by make_article
            favor_precision=favor == "precision",
            favor_recall=favor == "recall",
            # The page's stated publication date; not a guess from "© 2021" in the footer.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # lxml and trafilatura on malformed markup: quarantine with the reason
        raise ArticleError(f"HTML could not be parsed: {type(e).__name__}: {e}") from e
    if doc is None or not (doc.text or "").strip():
        return None, favor
    return doc, favor


def _page_date(text: str, metadata: str | None, url: str | None, crawled: object) -> tuple[object, str]:
    in_url = _url_date(url)
    if metadata:  # trafilatura's htmldate pass: meta tags, JSON-LD, date markup, its canonical URL
        return metadata, "metadata"
    if in_url:
        return in_url, "url"
    found = _htmldate(text)
    if found:
        return found, "htmldate"
    if crawled is not None:
        return crawled, "warc"
    return None, "none"


def _url_date(url: str | None) -> str | None:
    if url and (m := _URL_DATE.search(url)):
        y, mo, d = (g for g in m.groups() if g is not None)
        return f"{y}-{int(mo):02d}-{int(d):02d}"
    return None


# Footers and copyright lines: "© 2021" is not the article's date.
_NOT_DATES = "//footer | //*[contains(@class, 'footer') or contains(@id, 'footer') or contains(@class, 'copyright')]"


def _htmldate(text: str) -> str | None:
    """htmldate's extensive search of the page's text ("Isla Morrison, 14 March 2024"), its
    footers and copyright lines removed."""
    import lxml.html
    from htmldate import find_date

    try:
        # A parsed tree, never the string: htmldate fetches a string that looks like a URL.
        tree = lxml.html.document_fromstring(text)
        for element in tree.xpath(_NOT_DATES):
            element.drop_tree()
        return find_date(tree, extensive_search=True, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # a date guess must never cost the article
        return None


# --- fragments -----------------------------------------------------------------------------

_FRAGMENT_TAGS = re.compile(r"</?(?:p|div|br|span|a|b|i|em|strong|ul|ol|li|h[1-6]|blockquote|figure|img|"
                            r"section|article|aside|table|iframe|script|style|pre|code)\b[^>]*>", re.I)
_DROPPED = ("script", "style", "noscript", "figure", "aside", "iframe", "form", "button", "nav", "svg",
            "template", "object", "video", "audio")
_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
           "article", "header", "footer", "table", "tr", "pre", "hr", "dl", "dt", "dd"}


def looks_like_html(text: str) -> bool:
    return bool(_FRAGMENT_TAGS.search(text))


def fragment_text(fragment: str) -> str:
    """An HTML fragment as paragraphs: embeds, figures, scripts and asides dropped, each block a
    paragraph, inline markup reduced to its text, entities decoded."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div",
                                             parser=lxml.html.HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, ValueError):
        return strip_html(fragment)
    etree.strip_elements(root, *_DROPPED, with_tail=False)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCKS:
            el.text = "\n\n" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
    return root.text_content()
