"""`presswatch serve` refuses plainly, before serving anything: no server, invalid options."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _serve(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFECT_HOME": str(tmp_path / "prefect")}
    return subprocess.run([sys.executable, "-m", "presswatch.cli", "serve", str(tmp_path), *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_without_a_prefect_server_it_says_how_to_get_one(tmp_path):
    result = _serve(tmp_path)
    assert result.returncode == 2
    assert "presswatch: serve needs a Prefect server" in result.stderr and "--start-server" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_options_are_named(tmp_path):
    result = _serve(tmp_path, "--poll", "0", "--settle", "-1")
    assert result.returncode == 2
    assert "invalid setting settle_seconds (from a flag): -1.0 must be greater than or equal to 0" in result.stderr
    result = _serve(tmp_path, "--poll", "0")
    assert result.returncode == 2
    assert "invalid option poll_seconds: 0.0 must be greater than 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_wire_agencies_file_is_named_before_serving(tmp_path, monkeypatch, capsys):
    from presswatch.cli import main

    agencies = tmp_path / "agencies.toml"
    agencies.write_text("[[agency]]\nname = 'X'\ncredit = ['X']\n")  # a typo'd key: was silently no credits
    monkeypatch.setenv("PRESSWATCH_WIRE_AGENCIES", str(agencies))
    assert main(["serve", str(tmp_path), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"presswatch: wire agencies file {agencies}: [[agency]] #1: unknown key(s) credit "
        "(keys: name, credits, signoffs)"]


def test_start_server_refuses_a_remote_address():
    from flows.localserver import NoServer, ensure_server

    with pytest.raises(NoServer, match="no Prefect server answers at http://192.0.2.1:4200/api, and it is not local"):
        ensure_server("http://192.0.2.1:4200/api", say=lambda _: None)  # TEST-NET: nothing answers
