"""HTML pages: where the date came from, and the recall retry before a page is quarantined."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from presswatch.read.formats import read_file
from presswatch.read.webpage import fragment_text

INPUTS = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"
SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def test_date_from_page_metadata():
    (article,) = read_file(SEEDS / "010_html_page.html").articles
    assert (article.published_at, article.date_source) == (date(2024, 3, 14), "metadata")
    assert article.extraction_mode == "precision"


def test_date_from_the_url_when_metadata_has_none():
    (article,) = read_file(INPUTS / "dated_in_url.html").articles
    assert (article.published_at, article.date_source) == (date(2024, 2, 27), "url")


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
