"""Issue 12 at the CLI: bad settings and unusable warehouses end in one line, no traceback,
before any work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from presswatch.cli import COMMANDS, main
from tests.conftest import ROOT, SEED_ARTICLE

# The least each command needs to get as far as loading its settings.
ARGS = {"sql": ["SELECT 1"], "train": ["sentiment"], "feeds": ["poll"], "entities": ["merges"]}


def _presswatch(*args: str, env: dict[str, str] | None = None, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "presswatch.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


@pytest.mark.parametrize("name", COMMANDS)
def test_an_invalid_setting_is_one_line_for_every_command(name, tmp_path):
    done = _presswatch(name, *ARGS.get(name, []), env={"PRESSWATCH_MAX_FILE_BYTES": "abc"}, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "presswatch: invalid setting PRESSWATCH_MAX_FILE_BYTES: 'abc' must be a valid integer, "
        "unable to parse string as an integer"], done.stderr


@pytest.mark.parametrize("args", [["run", "--batch-size", "0"], ["bench", "--batch-size", "0"]])
def test_a_zero_batch_size_is_one_line(args, tmp_path):
    done = _presswatch(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "presswatch: invalid setting batch_size (from a flag): 0 must be greater than or equal to 1"]


@pytest.mark.parametrize("command", [["run"], ["serve"], ["sql", "SELECT 1"]])
def test_a_folder_as_warehouse_is_one_line(command, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    args = [*command, *([str(drop)] if command[0] != "sql" else []), "--warehouse", str(tmp_path)]
    done = _presswatch(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"presswatch: the warehouse path {tmp_path} is a folder; give a DuckDB file, e.g. "
        f"{tmp_path / 'presswatch.duckdb'} (--warehouse / PRESSWATCH_WAREHOUSE)"]


@pytest.fixture()
def foreign(tmp_path):
    path = tmp_path / "theirs.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE articles (id INTEGER, headline VARCHAR)")
    con.close()
    return path


@pytest.mark.parametrize("command", ["run", "serve"])
def test_a_foreign_warehouse_is_refused_before_any_nlp(command, foreign, tmp_path, capsys, monkeypatch):
    import flows.serve
    import presswatch.warmup

    def no_work(*args, **kwargs):
        raise AssertionError("work started for a refused warehouse")

    monkeypatch.setattr(presswatch.warmup, "warm_up", no_work)  # the NLP
    monkeypatch.setattr(flows.serve, "serve", no_work)  # serving (would not return)
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(SEED_ARTICLE, drop / "a.txt")
    before = foreign.read_bytes()
    assert main([command, str(drop), "--warehouse", str(foreign)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"presswatch: {foreign} is not a presswatch warehouse (it holds articles")
    assert "give --warehouse / PRESSWATCH_WAREHOUSE a new path" in err and len(err.splitlines()) == 1
    assert foreign.read_bytes() == before
