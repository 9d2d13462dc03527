"""`presswatch aggregates check`: where the aggregates disagree, said without running web text."""

from __future__ import annotations

from presswatch.cli import main
from warehouse.db import writer


def test_a_disagreeing_speaker_is_shown_not_run_in_the_terminal(tmp_path, capsys):
    warehouse = tmp_path / "w.duckdb"
    hostile = "Evil\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ \x1b[2J\x9b31m\rforged"
    with writer(warehouse) as con:  # a row the base tables do not give: the check lists its key
        con.execute("INSERT INTO agg_speaker (speaker_key, speaker, quotes, direct_quotes, mixed_quotes, "
                    "indirect_quotes, articles, sentiment_count) VALUES ('', ?, 1, 1, 0, 0, 1, 0)", [hostile])
    assert main(["aggregates", "check", "--warehouse", str(warehouse)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\x9b" not in out
    assert "agg_speaker |Evil\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\ \\x1b[2J\\x9b31m\\rforged" in out


def test_a_rebuild_through_its_own_open_makes_the_aggregates_agree_again(tmp_path, capsys):
    """`rebuild` opens the file for whole tables (DuckDB's default row groups) and remakes the keys."""
    warehouse = tmp_path / "w.duckdb"
    with writer(warehouse) as con:
        con.execute("INSERT INTO agg_speaker (speaker_key, speaker, quotes, direct_quotes, mixed_quotes, "
                    "indirect_quotes, articles, sentiment_count) VALUES ('', 'Nobody', 1, 1, 0, 0, 1, 0)")
    assert main(["aggregates", "check", "--warehouse", str(warehouse)]) == 1
    assert main(["aggregates", "rebuild", "--warehouse", str(warehouse)]) == 0
    assert main(["aggregates", "check", "--warehouse", str(warehouse)]) == 0
    assert "aggregates agree with the base tables" in capsys.readouterr().out
