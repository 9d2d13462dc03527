"""RSS 2.0, RSS 1.0 (RDF) and Atom: each item an article, the channel its source; hostile XML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from presswatch.read.formats import read_file
from presswatch.records import ArticleError

INPUTS = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>&lol9;</title><description>Officials said the &lol9; river rose on Tuesday.</description></item>
</channel></rss>
"""


def test_rss2_items_with_full_content_and_a_teaser():
    result = read_file(INPUTS / "tidewater.rss")
    assert result.records_found == 3 and result.problems == []
    a, b, teaser = result.articles
    assert a.source == "Tidewater Courier" and a.url == "https://tidewater.example/news/80"
    assert a.published_at == date(2024, 4, 10) and a.date_source == "feed" and a.authors == "Ana Sousa"
    assert not a.body_is_summary and a.extraction_mode == "fragment" and len(a.body.split("\n\n")) == 3
    assert teaser.body_is_summary and teaser.body.startswith("A night train linking")
    assert [x.record_idx for x in result.articles] == [0, 1, 2] and a.language == "en"


def test_rss1_rdf_items():
    result = read_file(INPUTS / "hillside.rdf")
    assert [(x.source, x.published_at, x.authors) for x in result.articles] == [
        ("Hillside Herald", date(2024, 4, 2), "Olek Marsh"), ("Hillside Herald", date(2024, 4, 3), "Olek Marsh")]
    assert all(x.body_is_summary and x.url.startswith("https://hillside.example/") for x in result.articles)


def test_atom_entries_content_and_summary():
    full, summary = read_file(INPUTS / "riverside.atom").articles
    assert (full.source, full.published_at, full.authors) == ("Riverside Daily", date(2024, 4, 4), "Bea Lund")
    assert not full.body_is_summary and len(full.body.split("\n\n")) == 3 and "<p>" not in full.body
    assert summary.body_is_summary and summary.url == "https://riverside.example/86"


def test_billion_laughs_is_refused_unexpanded(tmp_path):
    path = tmp_path / "laughs.rss"
    path.write_bytes(BILLION_LAUGHS)
    with pytest.raises(ArticleError, match=r"^XML declares its own entities \(refused: entity expansion"):
        read_file(path)


UTF16_FEED = ('<?xml version="1.0" encoding="UTF-16"?>\n<rss version="2.0"><channel><title>Zürich Post</title>'
              '<item><title>Bridge opens</title><description>Mayor Jane Porter opened the new bridge on Monday, '
              'officials in Zürich said.</description></item></channel></rss>')


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])  # with and without a byte-order mark
def test_utf16_feed_is_read_and_its_entities_still_refused(tmp_path, codec):
    path = tmp_path / "feed.rss"
    path.write_bytes(UTF16_FEED.encode(codec))  # was refused as "not an RSS, RDF or Atom feed"
    (article,) = read_file(path).articles
    assert (article.title, article.source) == ("Bridge opens", "Zürich Post") and "Zürich" in article.body
    path.write_bytes(BILLION_LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
                     .encode(codec))
    with pytest.raises(ArticleError, match=r"^XML declares its own entities"):
        read_file(path)


def test_references_to_no_character_are_replaced_not_a_crash_of_the_batch(tmp_path):
    # feedparser's lenient parser raised UnicodeEncodeError on "&#xD800;" (ValueError past U+10FFFF),
    # out of read_file: the read task failed and the whole run with it.
    path = tmp_path / "feed.rss"
    path.write_bytes(b'<rss version="2.0"><channel><title>Post</title><item><title>Bridge &#xD800;opens</title>'
                     b"<author>Jane &#55296;Porter</author><description>&#x110000;&#99999999999;Mayor Jane Porter "
                     b"opened the new bridge on Monday, officials said.</description></item></channel></rss>")
    (article,) = read_file(path).articles
    assert article.title == "Bridge \ufffdopens" and article.body.startswith("\ufffd\ufffdMayor Jane Porter")
    for value in (article.title, article.body, article.authors):
        value.encode("utf-8")
    # What the replacement cannot reach (a UTF-16 document) is the file's quarantine, not a crash.
    path.write_bytes(UTF16_FEED.replace("Bridge opens", "Bridge &#xD800;opens").encode("utf-16"))
    with pytest.raises(ArticleError, match=r"^feed could not be parsed: UnicodeEncodeError"):
        read_file(path)


def test_an_item_date_that_does_not_parse_is_noted_not_dropped_unseen(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_bytes(b'<rss version="2.0"><channel><title>Post</title><item><title>Bridge opens</title>'
                     b"<pubDate>Mon, 99 Foo 2024 25:61:00 +9999</pubDate><description>Mayor Jane Porter "
                     b"opened the new bridge on Monday, officials said.</description></item></channel></rss>")
    result = read_file(path)
    assert result.articles[0].published_at is None and result.articles[0].date_source == "none"
    assert result.problems == ["item 1: unparseable date 'Mon, 99 Foo 2024 25:61:00 +9999'"]


@pytest.mark.parametrize(("data", "message"), [
    (b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>', "XML is not an RSS"),
    (b'<rss version="2.0"><channel><title>Empty</title></channel></rss>', "feed has no items"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", r"binary content \(PNG image\)"),
    (b"https://example.org/feed.rss", "XML is not an RSS"),  # never fetched
])  # fmt: skip
def test_not_a_feed(tmp_path, data, message):
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    with pytest.raises(ArticleError, match=f"^{message}"):
        read_file(path)


def test_item_without_text_is_a_counted_problem(tmp_path):
    path = tmp_path / "f.rss"
    path.write_text('<rss version="2.0"><channel><title>C</title>'
                    "<item><title>Only a title</title></item>"
                    "<item><title>T</title><description>Officials said on Monday the bridge opened.</description>"
                    "</item></channel></rss>")
    result = read_file(path)
    assert result.records_found == 2 and [a.record_idx for a in result.articles] == [1]
    assert result.problems == ["item 1: no article text found (only a title: 'Only a title')"]


def fifty_thousand_items() -> bytes:
    items = "".join(
        f"<item><title>Council meeting {i}</title><link>https://big.example/{i}</link>"
        f"<pubDate>Mon, 01 Apr 2024 08:00:00 GMT</pubDate>"
        f"<description>Officials said meeting {i} approved budget line {i * 7}.</description></item>"
        for i in range(50_000))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


@pytest.mark.slow
def test_fifty_thousand_items(tmp_path):
    path = tmp_path / "big.rss"
    data = fifty_thousand_items()
    assert len(data) < 50 * 1024 * 1024  # within the default file size limit
    path.write_bytes(data)
    result = read_file(path)
    assert result.records_found == 50_000 and len(result.articles) == 50_000
    assert len({a.article_id for a in result.articles}) == 50_000
