"""DuckLake with its catalog in a real PostgreSQL, across processes: two overlapping loaders keep
every article once (the second commit conflicts, its retry loads nothing new). Readers during a
load: tests/flows/test_ducklake_readers.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.pg import postgres  # noqa: F401 (the session fixture)
from warehouse.db import open_db, writer

pytestmark = pytest.mark.slow  # starts PostgreSQL and loader processes

# A loader process: the test batch of tests/warehouse/test_load.py loaded by the real load_batch;
# a lost DuckLake conflict is retried once, as the load task's retry does.
LOADER = textwrap.dedent("""
    import json, sys
    from datetime import datetime
    from tests.warehouse.test_load import _batch
    from warehouse import lake
    from warehouse.db import writer
    from warehouse.load import load_batch
    target = sys.argv[1]
    outcomes, frames = _batch(*[(f"/d/{i}.txt", f"s{i}", f"Blinken spoke in city {i} today.", None)
                                for i in range(20)])
    tries = []
    for attempt in range(2):
        try:
            with writer(target) as con:
                result = load_batch(con, outcomes, frames, flow_run_id=sys.argv[2], seen_at=datetime(2024, 1, 1))
            tries.append({"loaded": result.articles_loaded})
            break
        except Exception as exc:
            if not lake.is_conflict(exc):
                raise
            tries.append({"conflict": str(exc)[:200]})
    print(json.dumps(tries))
""")


def _env(**extra: str) -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": root, "OMP_NUM_THREADS": "1", **extra}


@pytest.fixture()
def target(postgres, tmp_path, request) -> str:  # noqa: F811
    name = postgres.database(f"lake_{request.node.name[:40].lower()}".replace("[", "_").replace("]", "_"))
    target = f"ducklake:postgres:{postgres.libpq(name)}?data_path={tmp_path / 'files'}/"
    with writer(target):  # migrated once, before the processes race
        pass
    return target


def test_two_overlapping_loaders_load_each_article_once(target, tmp_path):
    procs = []
    for i in range(2):
        env = _env(PRESSWATCH_TEST_PAUSE_AT="load", PRESSWATCH_TEST_PAUSE_MARKER=str(tmp_path / f"at-load-{i}"),
                   PRESSWATCH_TEST_PAUSE_RELEASE=str(tmp_path / "go"), PRESSWATCH_TEST_PAUSE_SECONDS="300")
        procs.append(subprocess.Popen([sys.executable, "-c", LOADER, target, f"run-{i}"], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    deadline = time.monotonic() + 300
    # Both inside their load transaction, every row inserted, neither committed: then both go.
    while not all((tmp_path / f"at-load-{i}").exists() for i in range(2)):
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        assert time.monotonic() < deadline, "the loaders never both reached their load transaction"
        time.sleep(0.1)
    (tmp_path / "go").touch()
    tries = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
        tries.append(json.loads(out.strip().splitlines()[-1]))
    # Exactly one loader lost the race once, and its retry found everything already there.
    assert sorted(len(t) for t in tries) == [1, 2], tries
    winner, loser = sorted(tries, key=len)
    assert winner == [{"loaded": 20}] and "conflict" in loser[0] and loser[1] == {"loaded": 0}, tries
    con = open_db(target, read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (20, 20)
        assert con.execute("SELECT count(*), count(DISTINCT entity_id) FROM entities").fetchone() == (1, 1)
        assert con.execute("SELECT count(*), count(DISTINCT (file_sha256, source_path)) FROM ingest_log"
                           ).fetchone() == (20, 20)
        assert con.execute("SELECT sum(mentions) FROM agg_entity").fetchone() == (20,)
    finally:
        con.close()


def test_check_warehouse_accepts_a_fresh_database_and_refuses_an_unreachable_one(postgres, tmp_path):  # noqa: F811
    from warehouse.db import WarehouseRefused, check_warehouse

    fresh = postgres.database("lake_fresh")
    check_warehouse(f"ducklake:postgres:{postgres.libpq(fresh)}?data_path={tmp_path}/")  # the first run makes it
    with pytest.raises(WarehouseRefused, match="cannot open the DuckLake warehouse"):
        check_warehouse(f"ducklake:postgres:dbname=nope host=127.0.0.1 port=1 user={postgres.user}", timeout=2)
