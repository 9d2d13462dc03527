"""`presswatch sql`'s messages: an error quoting web text shows it, never runs it."""

from __future__ import annotations

from presswatch.cli import main
from warehouse.db import writer


def test_a_conversion_error_quoting_web_text_is_escaped(tmp_path, capsys):
    warehouse = tmp_path / "w.duckdb"
    hostile = "Evil\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ \x1b[2J\rforged"
    with writer(warehouse) as con:
        con.execute("INSERT INTO entities VALUES ('e1', ?, 'ORG')", [hostile])
    assert main(["sql", "SELECT CAST(name AS INTEGER) FROM entities", "--warehouse", str(warehouse)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\r" not in err
    assert "Evil\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\ \\x1b[2J\\rforged" in err  # shown
    assert err.startswith("presswatch: query failed: Conversion Error") and "\nLINE 1: SELECT" in err
