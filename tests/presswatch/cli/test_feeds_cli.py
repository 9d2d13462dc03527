"""`presswatch feeds poll` refuses a missing or invalid feeds.toml plainly, before Prefect starts."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _feeds(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFECT_HOME": str(tmp_path / "prefect")}
    return subprocess.run([sys.executable, "-m", "presswatch.cli", "feeds", *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_a_missing_feeds_file_is_named(tmp_path):
    result = _feeds(tmp_path, "poll", str(tmp_path), "--feeds", str(tmp_path / "feeds.toml"))
    assert result.returncode == 2
    assert f"presswatch: no feeds file at {tmp_path / 'feeds.toml'}: create it" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_entry_is_named(tmp_path):
    (tmp_path / "feeds.toml").write_text('[[feed]]\nname = "A"\nurl = "gopher://a.example/"\n')
    result = _feeds(tmp_path, "poll", str(tmp_path), "--feeds", str(tmp_path / "feeds.toml"))
    assert result.returncode == 2
    assert "[[feed]] #1 ('A'): url must be an http:// or https:// URL with a host" in result.stderr
    assert "Traceback" not in result.stderr


def test_feeds_without_an_action_prints_its_usage(tmp_path):
    result = _feeds(tmp_path)
    assert result.returncode == 2 and "poll" in result.stderr
