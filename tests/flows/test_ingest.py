"""The ingest flow over seeds/ into a tmp DuckDB, under the session's Prefect test server."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEEDS
from tests.flows.conftest import seed_run
from tests.flows import procs

pytestmark = pytest.mark.usefixtures("prefect_server")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """Run the flow over a copy of seeds/ twice; yield (warehouse, first, second) summaries."""
    import flows.ingest as ingest_module
    from warehouse.db import wal_path

    params = seed_run(tmp_path_factory.mktemp("ingest"))
    warehouse = params.warehouse
    with pytest.MonkeyPatch.context() as patch:  # the WAL each stage after the loads opens
        for name in ("refresh_archive_entities", "report_run"):
            patch.setattr(ingest_module, name, _noting_the_wal(getattr(ingest_module, name), name,
                                                              wal_path(warehouse)))
        first = ingest_module.ingest(params)
    counts = _counts(warehouse)
    second = ingest_module.ingest(params)
    return warehouse, first, second, counts


WAL_SEEN: dict[str, tuple[int, int]] = {}  # stage -> bytes in the WAL as it started and ended, first run


def _noting_the_wal(fn, name: str, wal: Path):
    def size() -> int:
        return wal.stat().st_size if wal.exists() else 0

    def noted(*args, **kwargs):
        before = size()
        try:
            return fn(*args, **kwargs)
        finally:
            WAL_SEEN[name] = (before, size())
    return noted


def _counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name != 'pipeline_runs' "
            "AND schema_name = 'main'").fetchall()]
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()



SEED = "000_312fe44e2616a10d.txt"


def test_every_seed_file_is_accounted_for_once(ingested):
    warehouse, first, _, _ = ingested
    files = sorted(p.name for p in SEEDS.iterdir() if p.is_file())
    logged = procs.rows(warehouse, "SELECT source_path, status, error FROM ingest_log ORDER BY source_path")
    assert sorted(Path(p).name for p, _, _ in logged) == files
    status = {Path(p).name: (s, e) for p, s, e in logged}
    assert status["090_duplicate_of_020.json"][0] == "duplicate"
    assert status["099_broken.json"][0] == "quarantined"
    assert "JSON" in status["099_broken.json"][1]
    assert all(s == "loaded" for name, (s, _) in status.items()
               if name not in {"090_duplicate_of_020.json", "099_broken.json"})
    assert first.files_seen == len(files)
    assert (first.files_loaded, first.files_duplicate, first.files_quarantined) == (len(files) - 2, 1, 1)


def test_second_run_adds_no_rows(ingested):
    warehouse, _, second, counts = ingested
    assert second.files_skipped == second.files_seen
    assert second.articles_loaded == 0
    assert _counts(warehouse) == counts
    assert procs.rows(warehouse, "SELECT count(*) FROM pipeline_runs") == [(2,)]


def test_a_run_ends_with_its_commits_in_the_file(ingested):
    """Each run checkpoints as it ends: a watch-mode run's seven opens would otherwise replay the
    WAL of every run since DuckDB's own 16 MiB checkpoint (issue 18)."""
    from warehouse.db import wal_path

    warehouse, first, second, _ = ingested
    assert first.articles_loaded > 0 and second.files_seen > 0
    assert not wal_path(warehouse).exists() or wal_path(warehouse).stat().st_size == 0


def test_the_stages_after_the_loads_open_a_file_without_a_wal(ingested):
    """The loads' commits are checkpointed before the entities refresh and the report open the
    file: each open would replay them, and at 1M articles a replay touches every key index the
    loads wrote (~0.1 s an open; issue 18)."""
    _, first, _, _ = ingested
    assert first.articles_loaded > 0
    assert WAL_SEEN["refresh_archive_entities"][0] == 0
    # the report replays only what the entities refresh wrote (here it re-resolves: the seeds are
    # the whole archive), not the loads' commits
    assert WAL_SEEN["report_run"][0] == WAL_SEEN["refresh_archive_entities"][1]


def test_seed_article_metadata_and_tone(ingested):
    warehouse = ingested[0]
    [(title, published, source, tone)] = procs.rows(
        warehouse, "SELECT title, published_at, source, tone FROM articles WHERE source_path LIKE ?",
        f"%{SEED}")
    assert title.startswith("US Secretary of State Antony Blinken departs for Israel")
    assert str(published) == "2023-10-12"
    assert source == "AFP"
    assert tone < 0


def test_blinken_is_one_person_with_every_mention(ingested):
    warehouse = ingested[0]
    rows = procs.rows(warehouse, """
        SELECT e.name, e.label, count(*) FROM mentions m JOIN entities e USING (entity_id)
        JOIN articles a USING (article_id)
        WHERE a.source_path LIKE ? AND m.surface ILIKE '%Blinken%' GROUP BY ALL""", f"%{SEED}")
    assert len(rows) == 1, rows
    name, label, n = rows[0]
    assert (name, label) == ("Antony Blinken", "PERSON")
    body = procs.rows(warehouse, "SELECT body FROM articles WHERE source_path LIKE ?", f"%{SEED}")[0][0]
    assert n == body.count("Blinken") and n >= 9


def test_offsets_point_into_the_body(ingested):
    warehouse = ingested[0]
    bad = procs.rows(warehouse, """
        SELECT m.surface, substr(a.body, m.start_char + 1, m.end_char - m.start_char)
        FROM mentions m JOIN articles a USING (article_id)
        WHERE substr(a.body, m.start_char + 1, m.end_char - m.start_char) != m.surface""")
    assert bad == []


def test_blinken_quote_has_his_entity_as_speaker(ingested):
    warehouse = ingested[0]
    rows = procs.rows(warehouse, """
        SELECT e.name FROM quotes q JOIN entities e ON e.entity_id = q.speaker_entity_id
        WHERE q.text LIKE '%The United States has Israel''s back%'""")
    assert rows == [("Antony Blinken",)]


def test_seed_amounts_with_their_objects(ingested):
    warehouse = ingested[0]
    rows = set(procs.rows(warehouse, """
        SELECT value, object FROM amounts JOIN articles USING (article_id)
        WHERE source_path LIKE ?""", f"%{SEED}"))
    assert {(1000.0, "Palestinians"), (22.0, "American citizens"), (100.0, "individuals")} <= rows


def test_repeated_paragraph_yields_one_sentence(ingested):
    warehouse = ingested[0]
    rows = procs.rows(warehouse, """
        SELECT count(*) FROM sentences s JOIN articles a USING (article_id)
        WHERE a.source_path LIKE ?
          AND substr(a.body, s.start_char + 1, s.end_char - s.start_char)
              LIKE 'After Israel, Blinken will proceed to Jordan%'""", f"%{SEED}")
    assert rows == [(1,)]


def test_views_answer_on_the_seeds(ingested):
    warehouse = ingested[0]
    top = procs.rows(warehouse, "SELECT speaker, quotes FROM top_quoted")
    assert ("Antony Blinken", ) in {(s,) for s, _ in top}
    daily = procs.rows(warehouse, "SELECT name, day, mentions FROM entity_mentions_daily WHERE name = 'Antony Blinken'")
    assert daily and str(daily[0][1]) == "2023-10-12"


def test_the_runs_last_files_are_a_small_batch_of_their_own():
    """Only that small batch's load is left when the NLP workers finish (flows/ingest.py: batched)."""
    from flows.ingest import TAIL_FILES, batched

    files = list(range(2225))
    batches = batched(files, 500)
    assert [len(b) for b in batches] == [500, 500, 500, 500, 225 - TAIL_FILES, TAIL_FILES]
    assert [f for b in batches for f in b] == files  # every file once, in discovery order
    assert [len(b) for b in batched(list(range(121)), 30)] == [30, 30, 30, 30, 1]  # a short last batch stays whole
    assert [len(b) for b in batched(list(range(64)), 500, tail=32)] == [64]
    assert [len(b) for b in batched(list(range(65)), 500, tail=32)] == [33, 32]
    assert batched([], 500) == []
