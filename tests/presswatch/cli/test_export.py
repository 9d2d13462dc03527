"""`presswatch export` destinations: never the warehouse or another database."""

from __future__ import annotations

import duckdb
import pytest

from presswatch.cli import main
from tests.warehouse.search_corpus import build


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build(tmp_path_factory.mktemp("export_cli") / "w.duckdb")


@pytest.mark.parametrize("suffix", ["", ".wal"])
def test_the_warehouse_itself_is_refused_and_left_whole(warehouse, suffix, capsys):
    before = warehouse.read_bytes()
    out = f"{warehouse}{suffix}"
    assert main(["export", "articles", "-o", out, "--warehouse", str(warehouse)]) == 2
    assert f"-o {out} is the warehouse itself" in capsys.readouterr().err
    assert warehouse.read_bytes() == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0


def test_another_database_file_is_not_overwritten(warehouse, tmp_path, capsys):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    before = other.read_bytes()
    assert main(["export", "articles", "-o", str(other), "--warehouse", str(warehouse)]) == 2
    assert "is an existing database file" in capsys.readouterr().err
    assert other.read_bytes() == before


def test_an_ordinary_existing_file_is_still_replaced(warehouse, tmp_path):
    out = tmp_path / "a.csv"
    out.write_text("old")
    assert main(["export", "articles", "-o", str(out), "--warehouse", str(warehouse)]) == 0
    assert out.read_text() != "old"


def test_since_after_until_is_refused_not_an_empty_file(warehouse, tmp_path, capsys):
    out = tmp_path / "a.csv"
    # was: "exported 0 rows", exit 0
    assert main(["export", "articles", "--since", "2025-01-01", "--until", "2024-01-01", "-o", str(out),
                 "--warehouse", str(warehouse)]) == 2
    assert capsys.readouterr().err == "presswatch: --since 2025-01-01 is after --until 2024-01-01\n"
    assert not out.exists()


@pytest.mark.parametrize("name", ["a.xlsx", "a.txt"])
def test_a_suffix_that_names_no_format_is_refused_not_written_as_parquet(warehouse, tmp_path, capsys, name):
    out = tmp_path / name  # was: Parquet bytes under the .xlsx name, exit 0
    assert main(["export", "articles", "-o", str(out), "--warehouse", str(warehouse)]) == 2
    assert f"{out.suffix} names no export format" in capsys.readouterr().err
    assert not out.exists()


def test_a_named_format_or_a_bare_name_still_writes(warehouse, tmp_path):
    said = tmp_path / "a.xlsx"
    assert main(["export", "articles", "-o", str(said), "--format", "csv", "--warehouse", str(warehouse)]) == 0
    assert said.read_text().startswith("article_id")
    bare = tmp_path / "a"
    assert main(["export", "articles", "-o", str(bare), "--warehouse", str(warehouse)]) == 0
    assert bare.read_bytes()[:4] == b"PAR1"
