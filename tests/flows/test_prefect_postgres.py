"""A Prefect server whose database is a real PostgreSQL (PREFECT_API_DATABASE_CONNECTION_URL,
asyncpg), and an ingest run against it into a DuckLake whose catalog is in the same PostgreSQL:
the deployment sketch of docs/scaling.md, on loopback."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from flows.localserver import LocalPrefectServer
from tests.conftest import SEEDS
from tests.flows import procs
from tests.pg import postgres  # noqa: F401 (the session fixture)
from warehouse.db import open_db

pytestmark = pytest.mark.slow  # starts PostgreSQL, a Prefect server and a run


def test_an_ingest_against_a_prefect_server_on_postgres(postgres, tmp_path, monkeypatch):  # noqa: F811
    prefect_db = postgres.database("prefect_api")
    lake_db = postgres.database("lake_ingest")
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", postgres.sqlalchemy(prefect_db))
    drop = tmp_path / "drop"
    shutil.copytree(SEEDS, drop)
    warehouse = f"ducklake:postgres:{postgres.libpq(lake_db)}?data_path={tmp_path / 'files'}/"
    with LocalPrefectServer(tmp_path / "prefect-home", inherit_env=True) as server:
        run = procs.start_run(drop, warehouse, procs.env(server.api_url, tmp_path / "client-home"),
                              "--workers", "0", "--sentiment", "lexicon")
        out, _ = procs.finish(run, timeout=900)
        loaded = procs.summary_count(out, "loaded")
        # The run is recorded in PostgreSQL, not in a SQLite file of the server's home.
        psql = subprocess.run(
            [str(postgres.bin / "psql"), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", postgres.user,
             "-d", prefect_db, "-Atc", "SELECT state_type, count(*) FROM flow_run GROUP BY 1"],
            capture_output=True, text=True, timeout=60, check=True)
    assert psql.stdout.strip() == "COMPLETED|1", psql.stdout
    assert not list((tmp_path / "prefect-home").glob("*.db")), "the server wrote a SQLite database"
    assert loaded > 0
    con = open_db(warehouse, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM ingest_log WHERE status = 'loaded'").fetchone() == (loaded,)
        assert con.execute("SELECT count(*) = count(DISTINCT article_id) FROM articles").fetchone() == (True,)
        assert con.execute("SELECT count(*) FROM pipeline_runs").fetchone() == (1,)
    finally:
        con.close()
