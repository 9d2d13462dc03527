"""Real-world inputs through the ingest flow: news API responses, JSON Feed, RSS, RDF, Atom,
WARC and gzip files dropped together; every record lands in DuckDB or is accounted for."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest

from tests.flows import procs
from tests.presswatch.read.archives import page, warc

pytestmark = pytest.mark.usefixtures("prefect_server")

INPUTS = Path(__file__).resolve().parents[1] / "fixtures" / "inputs"

# file: articles expected from it
LOADED = {
    "newsapi_v2.json": 2, "guardian_item.json": 1, "guardian_search.json": 2, "nyt_article_search.json": 2,
    "nyt_most_popular.json": 2, "eventregistry.json": 2, "mediacloud.json": 2, "bing_news.json": 2,
    "google_news.json": 2, "elasticsearch.json": 2, "nested_stories.json": 3, "jsonfeed_10.json": 2,
    "jsonfeed_11.json": 20, "tidewater.rss": 3, "hillside.rdf": 2, "riverside.atom": 2,
    "dated_in_text.html": 1, "dated_in_url.html": 1, "table_layout.html": 1,
    "riverside.atom.gz": 0,  # the same entries as riverside.atom: a duplicate file
    "zcopies/tidewater_copy.xml.gz": 0,  # ditto (named to sort after tidewater.rss)
    "crawl.warc": 2, "crawl.warc.gz": 1, "hillside.rdf.gz": 0,
}  # fmt: skip
QUARANTINED = {
    "gdelt_artlist.json": r"^no usable article in 3 JSON records: article 1: JSON has no article body",
    "ambiguous.json": r"^ambiguous JSON: article-like records in 2 places",
}


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    from flows.ingest import IngestParams, ingest

    root = tmp_path_factory.mktemp("real")
    drop = root / "drop"
    (drop / "zcopies").mkdir(parents=True)
    for path in INPUTS.iterdir():
        shutil.copy(path, drop / path.name)
    for name in ("riverside.atom", "hillside.rdf"):
        (drop / f"{name}.gz").write_bytes(gzip.compress((INPUTS / name).read_bytes()))
    (drop / "zcopies" / "tidewater_copy.xml.gz").write_bytes(gzip.compress((INPUTS / "tidewater.rss").read_bytes()))
    (drop / "crawl.warc").write_bytes(warc([("https://port.example/1", page(1)), ("https://port.example/2", page(2))]))
    (drop / "crawl.warc.gz").write_bytes(warc([("https://port.example/3", page(3))], gzipped=True))
    warehouse = root / "w.duckdb"
    summary = ingest(IngestParams(drop=drop, warehouse=warehouse, batch_size=500, nlp_workers=0))
    return drop, warehouse, summary


def _rel(drop: Path, path: str) -> str:
    return str(Path(path).relative_to(drop))


def test_every_file_is_loaded_or_quarantined_with_its_reason(real_run):
    drop, warehouse, summary = real_run
    rows = procs.rows(warehouse, "SELECT source_path, status, error FROM ingest_log")
    log = {_rel(drop, p): (s, e) for p, s, e in rows}
    assert sorted(log) == sorted([*LOADED, *QUARANTINED])
    for name, pattern in QUARANTINED.items():
        assert log[name][0] == "quarantined" and re.search(pattern, log[name][1]), log[name]
    for name, n in LOADED.items():
        assert log[name][0] == ("loaded" if n else "duplicate"), (name, log[name])
    assert summary.files_quarantined == 2


def test_every_record_loads_with_title_date_and_body(real_run):
    drop, warehouse, summary = real_run
    rows = procs.rows(warehouse, """SELECT source_path, count(*), count(title), count(published_at),
                                           min(length(body)) FROM articles GROUP BY source_path""")
    got = {_rel(drop, p): (n, titled, dated, shortest) for p, n, titled, dated, shortest in rows}
    assert {name: got[name][0] for name in got} == {k: v for k, v in LOADED.items() if v}
    for name, (n, titled, dated, shortest) in got.items():
        assert titled == n and dated == n and shortest > 100, name
    assert summary.articles_loaded == sum(LOADED.values())


def test_provenance_columns(real_run):
    _, warehouse, _ = real_run
    rows = procs.rows(warehouse, """
        SELECT regexp_extract(source_path, '[^/]+$'), list(DISTINCT date_source ORDER BY date_source),
               list(DISTINCT extraction_mode ORDER BY extraction_mode),
               count(*) FILTER (WHERE body_is_summary), count(*), min(authors)
        FROM articles GROUP BY 1""")
    got = {name: rest for name, *rest in rows}
    assert got["tidewater.rss"] == [["feed"], ["fragment", "plain"], 1, 3, "Ana Sousa"]
    assert got["jsonfeed_11.json"] == [["json"], ["fragment"], 0, 20, "Mira Jensen"]
    assert got["nyt_article_search.json"] == [["json"], ["plain"], 2, 2, "Sarah Lyall and Tom Wright"]
    assert got["dated_in_url.html"][:2] == [["metadata"], ["precision"]]
    assert got["dated_in_text.html"][:2] == [["htmldate"], ["precision"]]
    assert got["crawl.warc"][:1] == [["warc"]]
    assert got["table_layout.html"][:2] == [["metadata"], ["recall"]]


def test_the_ledger_counts_every_record_found(real_run):
    drop, warehouse, _ = real_run
    rows = procs.rows(warehouse, "SELECT source_path, records_found, article_count FROM ingest_log")
    got = {_rel(drop, p): (found, loaded) for p, found, loaded in rows}
    assert got["jsonfeed_11.json"] == (20, 20)
    assert got["gdelt_artlist.json"] == (3, 0)  # quarantined, each listed story counted
    assert got["ambiguous.json"] == (2, 0)
    assert got["crawl.warc"] == (6, 2)  # warcinfo, 2 requests, 2 pages, 1 image
    assert got["tidewater.rss"] == (3, 3) and got["zcopies/tidewater_copy.xml.gz"] == (3, 0)
