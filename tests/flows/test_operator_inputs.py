"""Issue 12 through the real flow: a symlink loop, a warehouse inside the drop folder, a file
repeating one record, a 5 MB title, hostile file names, a foreign warehouse file."""

from __future__ import annotations

import json
import os
import shutil

import duckdb
import pytest

from tests.conftest import SEED_ARTICLE, SEEDS
from tests.flows import procs

pytestmark = pytest.mark.usefixtures("prefect_server")

HOSTILE_NAME = "evil\n*[x](javascript:alert(1))<b>.txt"
BAD_NAME = "bad\n# injected [x](javascript:alert(1)).json"  # quarantined: its name is shown
BIG_TITLE = "T" * 5_000_000


def _record(i: int, title: str = "Council approves budget") -> str:
    body = (f"The city council approved a budget of {i} million euros on Tuesday after a long "
            "debate, the mayor said. Opposition members said the plan cut too deep into services.")
    return json.dumps({"title": title, "body": body})



@pytest.fixture(scope="module")
def operator_run(tmp_path_factory):
    """Two runs over a drop folder holding the warehouse itself, a symlink loop, a folder
    symlink, a JSONL repeating one record three times, a 5 MB title and a hostile file name."""
    from flows.ingest import IngestParams, ingest

    drop = tmp_path_factory.mktemp("operator") / "drop"
    (drop / "sub").mkdir(parents=True)
    shutil.copy(SEEDS / "040_markdown_brief.md", drop / "sub" / "brief.md")
    os.symlink("self.txt", drop / "self.txt")  # a loop: resolve() raises
    os.symlink("sub", drop / "linked")  # a folder symlink: not followed, counted
    (drop / "repeated.jsonl").write_text("\n".join([_record(1)] * 3) + "\n")
    (drop / "big_title.jsonl").write_text(_record(2, BIG_TITLE) + "\n")
    shutil.copy(SEED_ARTICLE, drop / HOSTILE_NAME)
    (drop / BAD_NAME).write_text("{not json")
    warehouse = drop / "w.duckdb"  # inside the drop folder
    params = IngestParams(drop=drop, warehouse=warehouse, batch_size=500, nlp_workers=0)
    first = ingest(params)
    ledger_after_first = procs.rows(warehouse, "SELECT count(*) FROM ingest_log")[0][0]
    second = ingest(params)
    return drop, warehouse, first, second, ledger_after_first


def test_a_symlink_loop_is_quarantined_with_its_reason_and_the_run_goes_on(operator_run):
    _, warehouse, first, _, _ = operator_run
    [(status, error)] = procs.rows(warehouse, "SELECT status, error FROM ingest_log WHERE source_path LIKE '%self.txt'")
    assert status == "quarantined" and "symlink loop" in error.lower()
    assert first.files_loaded >= 3


def test_the_warehouse_inside_the_drop_folder_is_never_input(operator_run):
    _, warehouse, first, second, ledger_after_first = operator_run
    assert (warehouse.parent / "w.duckdb").exists()
    assert procs.rows(warehouse, "SELECT count(*) FROM ingest_log WHERE source_path LIKE '%w.duckdb%'") == [(0,)]
    assert procs.rows(warehouse, "SELECT count(*) FROM ingest_log")[0][0] == ledger_after_first  # no row per run
    assert second.files_quarantined == 0 and second.articles_loaded == 0


def test_folder_symlinks_are_counted_not_silently_skipped(operator_run):
    _, _, first, _, _ = operator_run
    assert first.folder_links == 1
    assert "folder symlinks (not followed)" in first.render()


def test_a_record_repeated_in_one_file_is_one_article_and_two_duplicates(operator_run):
    _, warehouse, _, _, _ = operator_run
    rows = procs.rows(warehouse, "SELECT status, article_count, duplicate_records, records_found "
                           "FROM ingest_log WHERE source_path LIKE '%repeated.jsonl'")
    assert rows == [("loaded", 1, 2, 3)]


def test_a_five_megabyte_title_is_cut_with_a_note(operator_run):
    _, warehouse, _, _, _ = operator_run
    [(length,)] = procs.rows(warehouse, "SELECT max(length(title)) FROM articles")
    assert length == 1_000
    [(error,)] = procs.rows(warehouse, "SELECT error FROM ingest_log WHERE source_path LIKE '%big_title.jsonl'")
    assert "title cut from 5,000,000 to 1,000 chars" in error


def test_hostile_file_names_are_escaped_in_the_summary_and_the_run_name(operator_run):
    from prefect import get_client

    _, warehouse, first, _, _ = operator_run
    text = first.render()
    assert "bad\\n# injected [x](javascript:alert(1)).json" in text  # shown, the newline escaped
    for line in text.splitlines():  # every line is ours: no file name starts one
        assert line.startswith(("presswatch run", "  ")), line
    rows = first.artifact_rows()
    assert any("bad\\\\n# injected \\[x\\]\\(javascript&#58;" in str(r["what"]) for r in rows)  # UI cells are markdown
    assert not any("](javascript:" in str(r["what"]) + str(r["count"]) for r in rows)
    assert all("\n" not in str(r["what"]) + str(r["count"]) for r in rows)
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(first.flow_run_id)
    assert "\n" not in run.name and "bad\\n# injected" in run.name


def test_a_foreign_duckdb_file_is_refused_at_the_flow_start_untouched(tmp_path):
    from flows.ingest import IngestParams, ingest
    from warehouse.db import WarehouseRefused

    foreign = tmp_path / "theirs.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE articles (id INTEGER, headline VARCHAR)")
    con.execute("INSERT INTO articles VALUES (1, 'theirs')")
    con.close()
    before = foreign.read_bytes()
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(SEED_ARTICLE, drop / "a.txt")
    with pytest.raises(WarehouseRefused, match="not a presswatch warehouse.*give --warehouse"):
        ingest(IngestParams(drop=drop, warehouse=foreign, nlp_workers=0))
    assert foreign.read_bytes() == before
    assert procs.rows(foreign, "SELECT table_name FROM duckdb_tables()") == [("articles",)]
