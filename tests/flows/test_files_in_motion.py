"""A file replaced by a new version: a new article, the old one kept, and linked."""

from __future__ import annotations

import os

import pytest

from tests.flows import procs
from tests.flows.corpus import story

pytestmark = pytest.mark.usefixtures("prefect_server")


def _wire(title: str, body: str) -> str:
    return f"date 2024-03-12 {title} AFP\n\n{body}\n"


def test_a_replaced_file_loads_as_a_new_version_and_keeps_the_old(tmp_path):
    from flows.ingest import IngestParams, ingest

    drop, warehouse = tmp_path / "drop", tmp_path / "w.duckdb"
    drop.mkdir()
    path = drop / "story.txt"
    title, body = story(1)
    params = IngestParams(drop=drop, warehouse=warehouse)
    versions = [body, body.replace("Report number 1.", "Report number 1, corrected: 120 families."),
                body.replace("Report number 1.", "Report number 1, second correction.")]
    for i, text in enumerate(versions):
        tmp = drop / "story.txt.part"  # written aside, renamed into place, as the README asks
        tmp.write_text(_wire(title, text))
        os.replace(tmp, path)
        os.utime(path, ns=(i * 10**9 + 1, i * 10**9 + 1))  # distinct mtimes even on coarse clocks
        summary = ingest(params)
        assert (summary.files_loaded, summary.articles_loaded) == (1, 1)
    rows = procs.rows(warehouse, "SELECT article_id, previous_version, source_path FROM articles ORDER BY ingested_at")
    assert len(rows) == 3 and {r[2] for r in rows} == {str(path)}
    assert rows[0][1] is None
    assert rows[1][1] == rows[0][0] and rows[2][1] == rows[1][0]
    ledger = procs.rows(warehouse, "SELECT status, article_id FROM ingest_log ORDER BY seen_at")
    assert ledger == [("loaded", r[0]) for r in rows]
    # Putting back the first version: that content at that path is in the ledger already.
    path.write_text(_wire(title, versions[0]))
    summary = ingest(params)
    assert (summary.files_skipped, summary.articles_loaded) == (1, 0)
    # The same text under a new name: a duplicate of the first version, with its own row.
    (drop / "copy.txt").write_text(_wire(title, versions[0]))
    summary = ingest(params)
    assert (summary.files_duplicate, summary.articles_loaded) == (1, 0)
    procs.check_invariants(warehouse)
