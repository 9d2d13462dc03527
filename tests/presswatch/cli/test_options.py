"""Shared option parsers: counts (--limit, --top) and day ranges, said plainly when wrong."""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from presswatch.cli import main
from presswatch.cli.options import count_arg, days_in_order


@pytest.mark.parametrize("text", ["0", "-5", "99999999999999999999", "²", "1.5", "ten"])
def test_a_count_is_a_whole_number_in_range(text):
    # -5 and 2**64 reached DuckDB's LIMIT: Binder/Conversion Error tracebacks
    with pytest.raises(argparse.ArgumentTypeError, match="must be a whole number from 1 to 1,000,000,000"):
        count_arg(text)
    assert count_arg("20") == 20


def test_since_after_until_is_named():
    assert days_in_order(date(2025, 1, 1), date(2024, 1, 1)) == "--since 2025-01-01 is after --until 2024-01-01"
    assert days_in_order(date(2024, 1, 1), None) is None
    assert days_in_order(date(2024, 1, 1), date(2024, 1, 1)) is None


@pytest.mark.parametrize("args", [["search", "x", "--limit", "99999999999999999999"],
                                  ["entities", "merges", "--top", "-5"]])
def test_the_commands_use_it(args, capsys):
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 2
    assert "must be a whole number from 1 to 1,000,000,000" in capsys.readouterr().err


def test_a_file_as_the_drop_folder_is_named_as_a_file(tmp_path, capsys):
    from presswatch.cli.options import drop_folder_missing

    (tmp_path / "f.txt").write_text("x")
    assert drop_folder_missing(tmp_path / "f.txt")
    assert drop_folder_missing(tmp_path / "none")
    assert capsys.readouterr().err.splitlines() == [
        f"presswatch: drop folder {tmp_path / 'f.txt'} is a file, not a folder",
        f"presswatch: drop folder {tmp_path / 'none'} does not exist"]
