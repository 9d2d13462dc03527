"""Every command has help text and is documented in the README (as sqlite-utils does)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from presswatch.cli import COMMANDS, build_parser
from tests.conftest import ROOT


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(name):
    action = _subparsers()
    helps = {a.dest: a.help for a in action._choices_actions}
    assert helps.get(name), f"`presswatch {name}` has no help text"
    assert f"presswatch {name}" in (ROOT / "README.md").read_text(), f"README does not show presswatch {name}"


def test_sql_refuses_drop_with_a_clear_message_and_exit_code(tmp_path):
    from warehouse.db import writer

    db = tmp_path / "w.duckdb"
    with writer(db):
        pass
    result = subprocess.run([sys.executable, "-m", "presswatch.cli", "sql", "drop table articles",
                             "--warehouse", str(db)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "read-only: DROP statements are refused" in result.stderr
    result = subprocess.run([sys.executable, "-m", "presswatch.cli", "sql", "select count(*) from articles",
                             "--warehouse", str(db)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "(1 row)" in result.stdout
