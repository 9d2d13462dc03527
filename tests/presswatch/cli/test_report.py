"""`presswatch report` destinations: refused in one line before any work, never the warehouse."""

from __future__ import annotations

import pytest

from presswatch.cli import main
from tests.warehouse.search_corpus import build


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build(tmp_path_factory.mktemp("report_cli") / "w.duckdb")


def test_the_warehouse_as_output_is_refused_and_left_whole(warehouse, capsys):
    before = warehouse.read_bytes()
    # was: the HTML report written over the warehouse, exit 0
    assert main(["report", "-o", str(warehouse), "--warehouse", str(warehouse)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"presswatch: -o {warehouse} is the warehouse itself ({warehouse}); write to another file"]
    assert warehouse.read_bytes() == before


def test_a_folder_as_output_or_a_file_as_charts_is_one_line(warehouse, tmp_path, capsys):
    # were an IsADirectoryError and a FileExistsError traceback, after the report's reads
    assert main(["report", "-o", str(tmp_path), "--warehouse", str(warehouse)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"presswatch: -o {tmp_path} is a folder; give the report's file, e.g. {tmp_path / 'report.html'}"]
    chart_file = tmp_path / "charts"
    chart_file.write_text("")
    assert main(["report", "-o", str(tmp_path / "r.html"), "--charts", str(chart_file),
                 "--warehouse", str(warehouse)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"presswatch: --charts {chart_file} is a file; give a folder for the chart files"]
    assert not (tmp_path / "r.html").exists()


def test_a_write_that_fails_is_one_line(warehouse, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["report", "-o", str(blocker / "r.html"), "--warehouse", str(warehouse)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("presswatch: cannot write the report: ")
