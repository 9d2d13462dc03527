"""JSON shapes of real news APIs and feeds: records found by structure, fields by their usual names.
The fixtures (tests/fixtures/inputs) follow each API's documented response format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from presswatch.read.formats import read_file
from presswatch.records import ArticleError

INPUTS = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"

# file: (records, first title start, first date, source, url start, authors, body_is_summary)
SHAPES = {
    "newsapi_v2.json": (2, "Harbour authority approves 10", date(2024, 3, 10), "Baltic Times",
                        "https://balticnews.example/0", "Ruta Kalnina", False),
    "guardian_item.json": (1, "Night train between Valencia", date(2024, 3, 14), "The Guardian",
                           "https://www.theguardian.example/world/2024/mar/14/", "Lena Fischer", False),
    "guardian_search.json": (2, "Rural clinics in Bergen", date(2024, 3, 13), None,
                             "https://www.theguardian.example/uk-news/2024/mar/13/", None, False),
    "nyt_article_search.json": (2, "Harbour authority approves 15", date(2024, 3, 15), "The New York Times",
                                "https://www.nytimes.example/2024/03/15/", "Sarah Lyall and Tom Wright", True),
    "nyt_most_popular.json": (2, "Night train between Leeds", date(2024, 3, 17), "New York Times",
                              "https://www.nytimes.example/2024/03/17/", "Dan Bilefsky", True),
    "eventregistry.json": (2, "Offshore wind farm near Graz", date(2024, 3, 19), "North Sea Post",
                           "https://northsea.example/news/9", "Jan Peters", False),
    "mediacloud.json": (2, "Offshore wind farm near Brno", date(2024, 3, 14), "harbourgazette.example",
                        "https://harbourgazette.example/14", None, False),
    "bing_news.json": (2, "Bilbao council votes to rebuild 26", date(2024, 3, 16), "Coast News",
                       "https://coastnews.example/16", None, True),
    "google_news.json": (2, "Rural clinics in Nantes", date(2024, 3, 18), "Valley News",
                         "https://valleynews.example/18", None, True),
    "elasticsearch.json": (2, "Harbour authority approves 30", date(2024, 3, 1), "Index Weekly",
                           "https://index.example/20", None, False),
    "nested_stories.json": (3, "Night train between Valencia", date(2024, 3, 1), None,
                            "https://front.example/22", None, False),
    "jsonfeed_10.json": (2, "Harbour authority approves 70", date(2023, 11, 1), None,
                         "https://old.example/0", "Tom Reid", False),
}  # fmt: skip


@pytest.mark.parametrize("name", SHAPES)
def test_each_api_shape_loads_every_record(name):
    records, title, published, source, url, authors, summary = SHAPES[name]
    result = read_file(INPUTS / name)
    assert result.records_found == records and len(result.articles) == records, result.problems
    first = result.articles[0]
    assert first.title.startswith(title)
    assert (first.published_at, first.source, first.authors, first.body_is_summary) == (
        published, source, authors, summary)
    assert first.url.startswith(url)
    for i, article in enumerate(result.articles):
        assert article.title and article.published_at and article.date_source == "json"
        assert len(article.body) > 150 and article.language == "en"
        assert article.record_idx == i
    assert result.problems == []


def test_json_feed_11_gives_one_article_per_item_not_one_for_the_feed():
    result = read_file(INPUTS / "jsonfeed_11.json")
    assert result.records_found == 20 and len(result.articles) == 20
    assert len({a.article_id for a in result.articles}) == 20
    assert not any("Transport Notes" in (a.title or "") or "weblog about trains" in a.body for a in result.articles)
    first = result.articles[0]
    assert first.published_at == date(2024, 2, 1) and first.url == "https://blog.example/posts/0"
    assert first.authors == "Mira Jensen" and first.extraction_mode == "fragment"
    assert "<p>" not in first.body and first.body.count("\n\n") == 2  # three <p>, three paragraphs


def test_html_body_in_json_is_cleaned_of_figures_and_asides():
    (article,) = read_file(INPUTS / "guardian_item.json").articles
    assert "A train at dawn" not in article.body and "Read more" not in article.body
    assert article.body.startswith("A night train linking Valencia") and len(article.body.split("\n\n")) == 3


def test_gdelt_artlist_without_text_is_quarantined_with_its_count():
    with pytest.raises(ArticleError) as caught:
        read_file(INPUTS / "gdelt_artlist.json")
    assert caught.value.records_found == 3
    assert str(caught.value).startswith("no usable article in 3 JSON records: article 1: JSON has no "
                                        "article body")
    assert "(and 2 more)" in str(caught.value) and "Floods" not in str(caught.value)


def test_ambiguous_records_are_quarantined_not_collapsed():
    with pytest.raises(ArticleError, match=r"^ambiguous JSON: article-like records in 2 places "
                                           r"\(articles\[\] \(1\), results\[\] \(1\)\)"):
        read_file(INPUTS / "ambiguous.json")


def test_envelope_with_a_full_article_body_of_its_own_is_ambiguous(tmp_path):
    feed = json.loads((INPUTS / "jsonfeed_10.json").read_text())
    feed["description"] = "A long essay. " * 300
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed))
    with pytest.raises(ArticleError, match=r"^ambiguous JSON: the top level has an article body of 4200 characters "
                                           r"and also holds article records in items\[\]"):
        read_file(path)


def test_parts_of_a_record_are_not_records(tmp_path):
    """Related stories inside an article are the article's, not more articles."""
    nested = {"title": "Inner", "body": "Officials said the inner story is short but real.", "date": "2024-01-01"}
    record = {"title": "Outer", "body": "Officials said on Monday that the bridge opened.", "date": "2024-01-02",
              "related": [nested, nested]}
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"results": [record, {**record, "title": "Outer 2", "body": "Another body here."}]}))
    result = read_file(path)
    assert [a.title for a in result.articles] == ["Outer", "Outer 2"] and result.records_found == 2


def test_a_teaser_flagged_by_the_feed_poller_stays_flagged(tmp_path):
    path = tmp_path / "item.json"
    path.write_text(json.dumps({"title": "T", "body": "Officials said on Monday the bridge opened.",
                                "published_at": "2024-01-02", "body_is_summary": True, "authors": ["A", "B"]}))
    (article,) = read_file(path).articles
    assert article.body_is_summary and article.authors == "A; B" and article.extraction_mode == "plain"
