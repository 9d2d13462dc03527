"""Issue 13's BBC assertions on real articles: the BBC News files naming Bush, Blair, Yukos or
Manchester United (302 of 2,225), read, extracted and loaded by the pipeline's own stages into
a real DuckDB file, then resolved by `rebuild_entities`."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb
import pytest

from presswatch.discover.folder import FileRef, sha256_file
from presswatch.entities.names import TITLES
from presswatch.extract.extraction import extract_articles
from presswatch.load import to_frames
from presswatch.read.batch import read_files
from warehouse.db import migrate
from warehouse.entities import rebuild_entities
from warehouse.load import load_batch

pytestmark = pytest.mark.quality
NAMES = re.compile(rb"Bush|Blair|Yukos|Manchester United")


@pytest.fixture(scope="module")
def bbc(eval_data, nlp, tmp_path_factory):
    root = eval_data / "bbc_news" / "bbc"
    if not root.is_dir():
        pytest.skip(f"BBC articles not found at {root}")
    paths = sorted(p for p in root.rglob("*.txt") if NAMES.search(p.read_bytes()))
    con = duckdb.connect(str(tmp_path_factory.mktemp("bbc") / "bbc.duckdb"))
    migrate(con)
    at = datetime(2026, 1, 1)
    for i in range(0, len(paths), 100):
        refs = [FileRef(p, p.stat().st_size, p.stat().st_mtime_ns, sha256_file(p)) for p in paths[i:i + 100]]
        outcomes = read_files(refs)
        pairs = [(a, x) for o in outcomes for a, x in zip(o.articles, extract_articles(nlp, o.articles))]
        load_batch(con, outcomes, to_frames(pairs, flow_run_id="bbc", ingested_at=at), flow_run_id="bbc", seen_at=at)
    rebuild_entities(con)
    yield con
    con.close()


def _canon(con, names: tuple[str, ...]) -> dict[str, set[tuple[str, str]]]:
    """name -> the canonical (name, label) of every raw entity spelled so (any label)."""
    out: dict[str, set] = {}
    for name, cname, clabel in con.execute(
            "SELECT name, canonical_name, canonical_label FROM entity_canonical "
            f"WHERE name IN ({', '.join('?' * len(names))})", list(names)).fetchall():
        out.setdefault(name, set()).add((cname, clabel))
    return out


def test_george_w_bush_is_one_entity_and_kate_bush_stays_apart(bbc):
    spellings = ("George W Bush", "Bush", "George Bush", "George W. Bush", "Kate Bush")
    got = _canon(bbc, spellings)
    assert len(got.keys() & set(spellings[:4])) >= 3, got  # the archive does spell him several ways
    people = {c for name in spellings[:4] for c in got.get(name, set()) if c[1] == "PERSON"}
    assert len(people) == 1, got
    assert {c[0] for c in got["Kate Bush"]} == {"Kate Bush"}


def test_tony_blair_absorbs_blair_and_mr_blair(bbc):
    got = _canon(bbc, ("Tony Blair", "Blair", "Mr Blair"))
    assert "Blair" in got, got
    assert set().union(*got.values()) == {("Tony Blair", "PERSON")}, got


def test_yukos_and_manchester_united_are_organisations(bbc):
    got = _canon(bbc, ("Yukos", "Manchester United"))
    assert got["Yukos"] == {("Yukos", "ORG")}
    assert got["Manchester United"] == {("Manchester United", "ORG")}


def test_no_canonical_name_holds_an_html_entity_or_a_leading_title(bbc):
    names = [r[0] for r in bbc.execute("SELECT DISTINCT canonical_name FROM entity_canonical").fetchall()]
    assert len(names) > 1000
    title = re.compile(r"^(?:" + "|".join(t.replace(" ", r"\s+") for t in TITLES if len(t) > 2) + r")\.?\s", re.I)
    assert [n for n in names if re.search(r"&#?\w+;", n)] == []
    assert [n for n in names if title.match(n)] == []
