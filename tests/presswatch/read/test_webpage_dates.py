"""HTML pages: where the date came from, and the recall retry before a page is quarantined."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from presswatch.read.formats import read_file
from presswatch.read.webpage import fragment_text, read_html

INPUTS = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"
SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def test_date_from_page_metadata():
    (article,) = read_file(SEEDS / "010_html_page.html").articles
    assert (article.published_at, article.date_source) == (date(2024, 3, 14), "metadata")
    assert article.extraction_mode == "precision"


def test_date_from_the_canonical_url_is_the_pages_own_metadata():
    (article,) = read_file(INPUTS / "dated_in_url.html").articles
    assert (article.published_at, article.date_source) == (date(2024, 2, 27), "metadata")


def test_date_from_the_fetched_url_when_the_page_states_none():
    page = (INPUTS / "dated_in_url.html").read_text().replace(
        '<link rel="canonical" href="https://townpost.example/news/2024/02/27/library-reopens">', "")
    (article,) = read_html(page, [], url="https://townpost.example/news/2024/02/27/library-reopens")
    assert (article.published_at, article.date_source) == (date(2024, 2, 27), "url")
    (article,) = read_html(page, [], url="https://townpost.example/news/library", crawled="2024-05-01T10:00:00Z")
    assert (article.published_at, article.date_source) == (date(2024, 5, 1), "warc")


def test_date_from_htmldate_search_of_the_page_not_the_footer():
    (article,) = read_file(INPUTS / "dated_in_text.html").articles
    assert (article.published_at, article.date_source) == (date(2024, 3, 14), "htmldate")


def test_no_date_anywhere_is_recorded_as_none(tmp_path):
    page = ("<html><body><article><p>Officials said on Monday that the new bridge opened to traffic after "
            "three years of work.</p><p>\"It links two halves of the town,\" the mayor said.</p></article>"
            "<footer>© 2021 Town Crier</footer></body></html>")
    path = tmp_path / "a.html"
    path.write_text(page)
    (article,) = read_file(path).articles
    assert (article.published_at, article.date_source) == (None, "none")


def test_fragment_text_keeps_paragraphs_and_drops_embeds():
    html = ('<p>One <b>bold</b> line.</p><figure><img src="x"><figcaption>Cap</figcaption></figure>'
            "<script>alert(1)</script><!-- note --><p>Two &amp; three<br>four</p><aside>Ad</aside>tail")
    assert fragment_text(html).split() == ["One", "bold", "line.", "Two", "&", "three", "four", "tail"]


def test_page_precision_rejects_is_read_again_favouring_recall():
    """A 12,000-character article in an old table layout: trafilatura's precision setting finds
    no article in it (the issue's quarantined 13,052-character page); recall does."""
    from presswatch.read.webpage import _extract

    page = (INPUTS / "table_layout.html").read_text()
    assert _extract(page, favor="precision") == (None, "precision")
    (article,) = read_file(INPUTS / "table_layout.html").articles
    assert article.extraction_mode == "recall" and len(article.body) > 10_000
    assert article.title == "Coast towns plan for the summer season"
    assert "The harbour authority in Porto approved" in article.body and "(archive report 133.)" in article.body
    # recall keeps the layout's link menus: extraction_mode lets analysts tell such bodies apart
    assert (article.published_at, article.date_source) == (date(2009, 6, 2), "metadata")
