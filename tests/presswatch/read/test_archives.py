"""Compressed and archived input: .gz of any format (bounded inflation), WARC crawls."""

from __future__ import annotations

import gzip
import io
from datetime import date
from pathlib import Path

import pytest

from presswatch.read.formats import SUPPORTED_SUFFIXES, read_file
from presswatch.records import ArticleError
from tests.presswatch.read.archives import gzip_bomb, page, warc

INPUTS = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"


def test_gz_of_a_feed_and_of_json_read_like_the_plain_files():
    for name in ("tidewater.rss", "jsonfeed_11.json"):
        data = (INPUTS / name).read_bytes()
        plain = read_file(INPUTS / name)
        packed = read_file(Path(f"{name}.gz"), gzip.compress(data))
        assert [a.body for a in packed.articles] == [a.body for a in plain.articles]
        assert packed.records_found == plain.records_found


def test_multi_member_gzip_is_read_whole():
    data = gzip.compress(b"date 2024-03-12 Bridge opens AFP\n\n") + gzip.compress(
        b"Officials said on Monday that the bridge opened to traffic.\n")
    (article,) = read_file(Path("story.txt.gz"), data).articles
    assert article.title == "Bridge opens" and article.body.startswith("Officials said")


def test_gzip_bomb_is_refused_by_the_limit_on_the_inflated_stream():
    bomb = gzip_bomb(64 << 20)
    assert len(bomb) < 200_000  # small on disk: the file size limit alone would let it in
    with pytest.raises(ArticleError, match=r"^gzip content inflates past 1,048,576 bytes \(PRESSWATCH_MAX_FILE"):
        read_file(Path("bomb.json.gz"), bomb, max_bytes=1 << 20)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("x.txt.gz", gzip.compress(b"Officials said so.")[:-12], "truncated gzip data"),
    ("x.txt.gz", b"\x1f\x8bnot really gzip", "corrupt gzip data"),
    ("x.gz", gzip.compress(b"text"), r"unsupported file type inside gzip \(no suffix"),
    ("x.exe.gz", gzip.compress(b"text"), r"unsupported file type inside gzip \('.exe'"),
])  # fmt: skip
def test_bad_gzip(name, data, message):
    with pytest.raises(ArticleError, match=f"^{message}"):
        read_file(Path(name), data)


def test_suffixes_include_feeds_warc_and_their_gz():
    assert {".rss", ".atom", ".rdf", ".xml", ".warc", ".warc.gz", ".rss.gz", ".json.gz"} <= SUPPORTED_SUFFIXES


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_html_responses_become_articles_and_the_rest_is_counted(gzipped):
    data = warc([("https://port.example/a", page(1)), ("https://port.example/b", page(2))], gzipped=gzipped)
    name = "crawl.warc.gz" if gzipped else "crawl.warc"
    # .warc.gz is one gzip member per record: read as any .gz, inflated under the limit
    result = read_file(Path(name), data)
    a, b = result.articles
    assert (a.url, a.published_at, a.date_source) == ("https://port.example/a", date(2024, 5, 1), "warc")
    assert b.url == "https://port.example/b" and b.title == "Harbour wall repairs begin in town 2"
    assert a.extraction_mode in ("precision", "recall") and "Contact us" not in a.body
    # warcinfo + 2 requests + 2 pages + 1 image: all counted, the skipped ones named
    assert result.records_found == 6
    assert result.problems == ["skipped 4 records that are not HTML pages: 1 image/png, 2 request record, "
                               "1 warcinfo record"]


def test_warc_with_no_html_page_is_quarantined_with_its_count():
    with pytest.raises(ArticleError) as caught:
        read_file(Path("c.warc"), warc([], image=True))
    assert str(caught.value) == "no usable article in the WARC file: no HTML response among 2 records"
    assert caught.value.records_found == 2


def test_warc_cut_inside_a_page_does_not_load_the_partial_page():
    data = warc([("https://port.example/a", page(1)), ("https://port.example/b", page(2))], image=False)
    result = read_file(Path("cut.warc"), data[:-200])  # a crawl whose writer died mid-page
    assert [a.url for a in result.articles] == ["https://port.example/a"]
    assert result.records_found == 5
    assert result.problems[0] == ("record 5: https://port.example/b: truncated record: the file ends "
                                  "196 bytes short of its Content-Length")


def test_warc_cut_inside_a_record_header_accounts_for_that_record():
    data = warc([("https://port.example/a", page(1)), ("https://port.example/b", page(2))], image=False)
    cut = data[:data.index(b"https://port.example/b") + 10]  # inside the second request's header
    result = read_file(Path("cut.warc"), cut)
    assert [a.url for a in result.articles] == ["https://port.example/a"]
    assert result.records_found == 4  # warcinfo, request, page, and the cut record
    assert result.problems[0].startswith("record 4: truncated record: the file ends inside it (")


def test_warc_whose_first_record_claims_more_than_the_file_holds():
    data = warc([("https://port.example/a", page(1))], image=False).replace(
        b"Content-Length: ", b"Content-Length: 99999999", 1)
    with pytest.raises(ArticleError, match=r"^no usable article in the WARC file: record 1: warcinfo: "
                                           r"truncated record: the file ends [\d,]+ bytes short"):
        read_file(Path("c.warc"), data)


def test_not_a_warc():
    with pytest.raises(ArticleError, match="^not a WARC file"):
        read_file(Path("c.warc"), b"hello, this is not an archive\r\n\r\n")


def _one_page_warc(body: bytes, headers: list[tuple[str, str]], warc_headers: dict | None = None) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *headers], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://port.example/a", "response", payload=io.BytesIO(body),
                                                  http_headers=http,
                                                  warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z",
                                                                     **(warc_headers or {})}))
    return out.getvalue()


def test_a_page_with_a_cut_compressed_body_is_not_loaded_as_a_whole_one():
    # The record is whole (its Content-Length holds), but the server's gzip body stops halfway:
    # warcio hands over what inflated, and the first half of the article used to load as if whole.
    body = gzip.compress(page(1).encode())
    whole = read_file(Path("a.warc"), _one_page_warc(body, [("Content-Encoding", "gzip")]))
    assert whole.articles[0].body.endswith("the port's owners said.")
    with pytest.raises(ArticleError, match=r"^no usable article in the WARC file: record 1: https://port.example/a: "
                                           r"truncated gzip body: the page's compressed data ends before its end$"):
        read_file(Path("a.warc"), _one_page_warc(body[: len(body) // 2], [("Content-Encoding", "gzip")]))


def test_a_record_the_crawler_marked_truncated_is_not_loaded():
    data = _one_page_warc(page(1).encode()[:400], [], {"WARC-Truncated": "length"})
    with pytest.raises(ArticleError, match=r"truncated by the crawler \(WARC-Truncated: length\): only part of the "
                                           r"page was recorded$") as caught:
        read_file(Path("a.warc"), data)
    assert caught.value.records_found == 1
