"""Exports: every format, the filters, the article join, the CSV formula guard, and refusals."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from presswatch.cli import main
from tests.warehouse.search_corpus import ARTICLES, build
from warehouse.db import open_db
from warehouse.export import ExportError, bounded, formula_safe, relation_source, with_articles, write


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = build(tmp_path_factory.mktemp("export") / "w.duckdb")
    with duckdb.connect(str(path)) as con:  # a title that is a formula, as the web may send
        con.execute("UPDATE articles SET title = '=HYPERLINK(\"http://x\",\"click\")' WHERE article_id = 'a09'")
    return path


@pytest.fixture()
def con(warehouse):
    con = open_db(warehouse, read_only=True)
    yield con
    con.close()


def _read(path, fmt):
    reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[fmt]
    return duckdb.sql(f"SELECT * FROM {reader}('{path}')")


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_each_format_holds_every_row(con, tmp_path, fmt):
    out = tmp_path / f"a.{fmt}"
    assert write(con, relation_source(con, "articles"), out, fmt) == len(ARTICLES)
    assert _read(out, fmt).count("*").fetchone()[0] == len(ARTICLES)


def test_since_until_use_the_day_column(con, tmp_path):
    source = bounded(con, relation_source(con, "stg_articles"), date(2005, 3, 1), date(2005, 4, 30))
    write(con, source, tmp_path / "x.parquet", "parquet")
    assert sorted(r[0] for r in _read(tmp_path / "x.parquet", "parquet").fetchall()) == ["a01", "a02", "a08"]


def test_articles_are_joined_with_clashing_names_prefixed(con, tmp_path):
    source = with_articles(con, bounded(con, relation_source(con, "search_hits"), None, None))
    names = [c for c, *_ in con.execute(f"DESCRIBE {source.sql}").fetchall()]
    assert "body" in names and "search_name" in names
    source = with_articles(con, relation_source(con, "stg_articles"))
    names = [c for c, *_ in con.execute(f"DESCRIBE {source.sql}").fetchall()]
    assert "article_title" in names and len(names) == len(set(names))


def test_refusals_are_specific(con):
    listed = r"no view or table named 'nope'\. Views: .*share_of_voice.*Tables: .*articles"
    with pytest.raises(ExportError, match=listed):
        relation_source(con, "nope")
    with pytest.raises(ExportError, match="mentions has no date column"):
        bounded(con, relation_source(con, "mentions"), date(2005, 1, 1), None)
    with pytest.raises(ExportError, match="share_of_voice has no article_id column"):
        with_articles(con, relation_source(con, "share_of_voice"))


def test_csv_cells_that_look_like_formulas_are_defused(con, tmp_path):
    out = tmp_path / "a.csv"
    write(con, formula_safe(con, relation_source(con, "articles")), out, "csv")
    title = _read(out, "csv").filter("article_id = 'a09'").fetchone()[1]
    assert title == "'=HYPERLINK(\"http://x\",\"click\")"
    raw = tmp_path / "raw.csv"
    write(con, relation_source(con, "articles"), raw, "csv")
    assert _read(raw, "csv").filter("article_id = 'a09'").fetchone()[1].startswith("=HYPERLINK")


def test_the_command_exports_a_search_ranked_with_its_articles(warehouse, tmp_path, capsys):
    out = tmp_path / "brown.jsonl"
    assert main(["export", "--search", "brown", "--articles", "-o", str(out), "--warehouse", str(warehouse)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["article_id"] == "a11" and "body" in rows[0]
    assert "exported 4 rows of search" in capsys.readouterr().out


def test_the_command_refuses_an_unknown_view_and_leaves_no_file(warehouse, tmp_path, capsys):
    assert main(["export", "nope", "-o", str(tmp_path / "x.csv"), "--warehouse", str(warehouse)]) == 2
    assert "no view or table named 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_the_command_writes_the_saved_search(warehouse, tmp_path):
    (tmp_path / "s.toml").write_text('[[search]]\nname = "bears"\nquery = \'"brown bears"\'\n'
                                     '[[search]]\nname = "brown"\nquery = "brown"\nsince = 2005-03-10\n')
    out = tmp_path / "bears.parquet"
    assert main(["export", "--saved", "bears", "--searches", str(tmp_path / "s.toml"), "-o", str(out),
                 "--warehouse", str(warehouse)]) == 0
    assert [r[1] for r in _read(out, "parquet").fetchall()] == ["a11"]
    assert main(["export", "--saved", "brown", "--searches", str(tmp_path / "s.toml"), "-o", str(out),
                 "--warehouse", str(warehouse)]) == 0  # the search's own since holds
    assert sorted(r[1] for r in _read(out, "parquet").fetchall()) == ["a02", "a08", "a11"]
