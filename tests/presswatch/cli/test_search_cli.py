"""`presswatch search`: ranked text output that is safe for a terminal, JSON, saved searches,
clear errors; and `presswatch sql` can call the index's BM25 macro."""

from __future__ import annotations

import json

import pytest

from presswatch.cli import main
from tests.warehouse.search_corpus import build
from warehouse.sql import query


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build(tmp_path_factory.mktemp("cli") / "w.duckdb")


def test_text_results_are_ranked_and_escape_sequences_are_shown_not_run(warehouse, capsys):
    assert main(["search", "arsenal", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out  # the body's ESC[31m is printed as the text \x1b[31m
    assert "\\x1b[31mInjected" in out
    lines = out.splitlines()
    assert lines[0] == "arsenal  (2 results)"
    assert lines[1].startswith("  1. ") and "Arsenal manager praises players" in lines[1]
    assert "2005-02-20" in lines[1] and "bbc" in lines[1]


def test_json_results(warehouse, capsys):
    assert main(["search", "brown", "--limit", "2", "--since", "2005-01-01", "--json",
                 "--warehouse", str(warehouse)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in doc["results"]] == [1, 2]
    assert doc["results"][0]["score"] >= doc["results"][1]["score"] > 0
    assert all(r["day"] >= "2005-01-01" for r in doc["results"])


def test_a_bad_query_points_at_its_column(warehouse, capsys):
    assert main(["search", "brown AND", "--warehouse", str(warehouse)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("presswatch: query error at column 7: AND needs a word, phrase or group after it, "
                      "found nothing at the end")
    assert err[2].index("^") == err[1].index("AND")


def test_saved_searches_run_by_name(warehouse, tmp_path, capsys):
    (tmp_path / "s.toml").write_text('[[search]]\nname = "bears"\nquery = \'"brown bears"\'\n'
                                     '[[search]]\nname = "banks"\nquery = "bank NOT river"\n')
    assert main(["search", "--saved", "--searches", str(tmp_path / "s.toml"), "--json",
                 "--warehouse", str(warehouse)]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [d["search"] for d in docs] == ["bears", "banks"]
    assert [r["article_id"] for r in docs[0]["results"]] == ["a11"]
    assert main(["search", "--saved", "nope", "--searches", str(tmp_path / "s.toml"),
                 "--warehouse", str(warehouse)]) == 2
    assert "no saved search named 'nope'" in capsys.readouterr().err


def test_saved_with_an_empty_searches_file_says_so(warehouse, tmp_path, capsys):
    (tmp_path / "s.toml").write_text("# nothing saved yet\n")
    # was: no output at all, exit 0
    assert main(["search", "--saved", "--searches", str(tmp_path / "s.toml"), "--warehouse", str(warehouse)]) == 2
    assert capsys.readouterr().err.startswith(f"presswatch: no saved searches in {tmp_path / 's.toml'}: ")


def test_deep_parentheses_are_one_line(warehouse, capsys):
    # was a RecursionError traceback (200 levels fit in the 2,000-character limit)
    assert main(["search", "(" * 300 + "brown" + ")" * 300, "--warehouse", str(warehouse)]) == 2
    assert capsys.readouterr().err.startswith("presswatch: query error at column 51: parentheses nested more than 50")


def test_since_after_until_is_refused(warehouse, capsys):
    # was: "(0 results)", exit 0
    assert main(["search", "brown", "--since", "2025-01-01", "--until", "2024-01-01",
                 "--warehouse", str(warehouse)]) == 2
    assert capsys.readouterr().err == "presswatch: --since 2025-01-01 is after --until 2024-01-01\n"


def test_query_and_saved_together_or_neither_is_refused(warehouse, capsys):
    assert main(["search", "--warehouse", str(warehouse)]) == 2
    assert "give a query" in capsys.readouterr().err


def test_reindex_rebuilds(warehouse, capsys):
    assert main(["search", "--reindex", "--warehouse", str(warehouse)]) == 0
    assert "search index rebuilt: 12 articles in" in capsys.readouterr().out


def test_sql_readers_can_call_bm25_and_still_cannot_read_files(warehouse):
    columns, rows = query(warehouse, "SELECT article_id FROM articles "
                          "WHERE fts_main_articles.match_bm25(article_id, 'bears') IS NOT NULL")
    assert rows == [("a11",)]
    with pytest.raises(Exception, match="(?i)file system operations are disabled|external access"):
        query(warehouse, "SELECT * FROM read_csv('/etc/passwd')")
