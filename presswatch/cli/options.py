"""Subcommands of `presswatch`; shared option helpers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from presswatch.config import parse_workers


def add_warehouse_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--warehouse", type=Path,
                   help="DuckDB file (default: PRESSWATCH_WAREHOUSE or warehouse/presswatch.duckdb)")


def drop_folder_missing(drop: Path) -> bool:
    """Say so (on stderr) when the drop folder is not there; commands then exit 2."""
    if drop.is_dir():
        return False
    print(f"presswatch: drop folder {drop} does not exist", file=sys.stderr)
    return True


def workers_arg(text: str) -> int:
    """--workers: the nlp_workers setting's own parser (`auto` or a number >= 0)."""
    try:
        return parse_workers(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} {exc}") from None
