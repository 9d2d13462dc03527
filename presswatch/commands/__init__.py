"""Subcommands of `presswatch`; shared option helpers."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_warehouse_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--warehouse", type=Path,
                   help="DuckDB file (default: PRESSWATCH_WAREHOUSE or warehouse/presswatch.duckdb)")
