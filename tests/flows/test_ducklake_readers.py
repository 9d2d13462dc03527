"""Readers in other processes while a DuckLake load is open: with a SQLite or PostgreSQL catalog
`presswatch sql` (a table and a view) answers while the loader sits inside its load transaction,
and sees the load only after its commit; with a DuckDB-file catalog the loader's file lock turns
the reader away (what docs/scaling.md says). Ordering is by events: the loader is released only
after the reader has answered, so a reader that waited for the load could never answer."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.flows.test_ducklake_postgres import LOADER, _env
from tests.pg import postgres  # noqa: F401 (the session fixture)
from warehouse.db import open_db, writer

pytestmark = pytest.mark.slow  # starts loader processes (and PostgreSQL)

PRESSWATCH = str(Path(sys.executable).parent / "presswatch")


def _target(kind: str, tmp_path: Path, request) -> str:
    if kind == "sqlite":
        return f"ducklake:sqlite:{tmp_path / 'cat.sqlite'}?data_path={tmp_path / 'files'}/"
    if kind == "duckdb":
        return f"ducklake:{tmp_path / 'cat.ducklake'}?data_path={tmp_path / 'files'}/"
    server = request.getfixturevalue("postgres")
    name = server.database(f"lake_readers_{kind}_{tmp_path.name[-20:]}".lower().replace("-", "_"))
    return f"ducklake:postgres:{server.libpq(name)}?data_path={tmp_path / 'files'}/"


def _paused_loader(target: str, tmp_path: Path) -> subprocess.Popen:
    """A loader of 20 articles stopped inside its load transaction (every row written, no COMMIT)
    until tmp_path/go appears."""
    env = _env(PRESSWATCH_TEST_PAUSE_AT="load", PRESSWATCH_TEST_PAUSE_MARKER=str(tmp_path / "at-load"),
               PRESSWATCH_TEST_PAUSE_RELEASE=str(tmp_path / "go"), PRESSWATCH_TEST_PAUSE_SECONDS="300")
    loader = subprocess.Popen([sys.executable, "-c", LOADER, target, "run-r"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not (tmp_path / "at-load").exists():
        assert loader.poll() is None, loader.communicate()
        assert time.monotonic() < deadline, "the loader never reached its load transaction"
        time.sleep(0.1)
    return loader


def _sql(target: str, query: str, read_timeout: str = "30") -> subprocess.CompletedProcess:
    return subprocess.run([PRESSWATCH, "sql", "--warehouse", target, query],
                          env=_env(PRESSWATCH_READ_TIMEOUT=read_timeout), capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_reader_answers_while_a_load_is_open(kind, tmp_path, request):
    target = _target(kind, tmp_path, request)
    with writer(target):  # migrated before the loader starts
        pass
    loader = _paused_loader(target, tmp_path)
    try:
        table = _sql(target, "SELECT count(*) AS n FROM articles")
        view = _sql(target, "SELECT count(*) AS n FROM entity_mentions_daily")
        # Both answered while the loader was still paused inside its transaction.
        assert loader.poll() is None and not (tmp_path / "go").exists()
    finally:
        (tmp_path / "go").touch()
        out, err = loader.communicate(timeout=300)
    for reader in (table, view):
        assert reader.returncode == 0, reader.stderr[-3000:]
        assert "busy" not in reader.stderr and "waiting" not in reader.stderr, reader.stderr
        assert reader.stdout.split()[::2][:2] == ["n", "0"], reader.stdout  # the open load is not visible
    assert loader.returncode == 0, err[-3000:]
    after = _sql(target, "SELECT count(*) AS n FROM articles")
    assert after.returncode == 0 and after.stdout.split()[::2][:2] == ["n", "20"], (after.stdout, after.stderr[-2000:])


def test_a_duckdb_file_catalog_turns_readers_away_during_a_load(tmp_path, request):
    """The honest limit of a DuckDB-file catalog: its writer process holds the file's lock."""
    target = _target("duckdb", tmp_path, request)
    with writer(target):
        pass
    loader = _paused_loader(target, tmp_path)
    try:
        reader = _sql(target, "SELECT count(*) AS n FROM articles", read_timeout="1")
        assert loader.poll() is None
    finally:
        (tmp_path / "go").touch()
        out, err = loader.communicate(timeout=300)
    assert loader.returncode == 0, err[-3000:]
    assert reader.returncode != 0 and "busy" in reader.stderr.lower(), (reader.returncode, reader.stderr[-2000:])
    con = open_db(target, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (20,)
    finally:
        con.close()
