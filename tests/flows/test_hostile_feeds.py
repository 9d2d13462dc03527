"""Hostile feeds and archives through the ingest flow (beside test_hostile_input.py): a
billion-laughs feed, a gzip bomb, WARC files with non-HTML records, and a 50,000-item feed.
Each ends loaded or quarantined with its reason; the good neighbours load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.flows import procs
from tests.flows.corpus import story
from tests.presswatch.read.archives import gzip_bomb, page, warc
from tests.presswatch.read.test_feeds import BILLION_LAUGHS, fifty_thousand_items

pytestmark = pytest.mark.usefixtures("prefect_server")


def _run(drop: Path, warehouse: Path):
    from flows.ingest import IngestParams, ingest

    return ingest(IngestParams(drop=drop, warehouse=warehouse, batch_size=500, nlp_workers=0))


def _ledger(warehouse: Path, drop: Path) -> dict[str, tuple[str, str | None]]:
    rows = procs.rows(warehouse, "SELECT source_path, status, error FROM ingest_log")
    return {str(Path(p).relative_to(drop)): (s, e) for p, s, e in rows}


@pytest.fixture(scope="module")
def hostile_feeds(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile_feeds")
    drop = root / "drop"
    drop.mkdir()
    for i in range(2):
        title, body = story(500 + i)
        (drop / f"good_{i}.txt").write_text(f"date 2024-03-12 {title} AFP\n\n{body}\n")
    (drop / "laughs.rss").write_bytes(BILLION_LAUGHS)
    (drop / "bomb.json.gz").write_bytes(gzip_bomb(64 << 20))  # past the 50 MiB default limit
    (drop / "mixed.warc").write_bytes(warc([("https://port.example/m", page(40))], image=True))
    (drop / "images_only.warc.gz").write_bytes(warc([], image=True, gzipped=True))
    warehouse = root / "w.duckdb"
    return drop, warehouse, _run(drop, warehouse)


EXPECTED = {
    "good_0.txt": ("loaded", None),
    "good_1.txt": ("loaded", None),
    "laughs.rss": ("quarantined", r"^XML declares its own entities \(refused: entity expansion"),
    "bomb.json.gz": ("quarantined", r"^gzip content inflates past 52,428,800 bytes \(PRESSWATCH_MAX_FILE_BYTES\)"),
    "mixed.warc": ("loaded", r"skipped 3 records that are not HTML pages: 1 image/png, 1 request record, "
                             r"1 warcinfo record"),
    "images_only.warc.gz": ("quarantined", r"^no usable article in the WARC file: no HTML response among 2 records"),
}


def test_hostile_feeds_end_loaded_or_quarantined_with_their_reason(hostile_feeds):
    drop, warehouse, summary = hostile_feeds
    ledger = _ledger(warehouse, drop)
    assert sorted(ledger) == sorted(EXPECTED)
    for name, (status, pattern) in EXPECTED.items():
        got, error = ledger[name]
        assert got == status, (name, got, error)
        assert (pattern is None and error is None) or re.search(pattern, error or ""), (name, error)
    assert summary.files_loaded == 3 and summary.files_quarantined == 3
    procs.check_invariants(warehouse)


def test_the_laughs_never_reached_the_warehouse(hostile_feeds):
    _, warehouse, _ = hostile_feeds
    assert procs.rows(warehouse, "SELECT count(*) FROM articles WHERE body LIKE '%lollol%'") == [(0,)]
    [(url, day, source)] = procs.rows(warehouse, "SELECT url, published_at, date_source FROM articles "
                                                 "WHERE source_path LIKE '%mixed.warc'")
    assert (url, str(day), source) == ("https://port.example/m", "2024-05-01", "warc")


@pytest.mark.slow
def test_a_feed_of_fifty_thousand_items_loads_whole(tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "big.rss").write_bytes(fifty_thousand_items())
    warehouse = tmp_path / "w.duckdb"
    summary = _run(drop, warehouse)
    assert summary.files_loaded == 1 and summary.articles_loaded == 50_000
    assert procs.rows(warehouse, "SELECT count(*), count(DISTINCT record_idx), min(source) FROM articles") == [
        (50_000, 50_000, "Big")]
