"""Subcommands of `presswatch`; shared option helpers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from presswatch.config import Settings, parse_workers


def add_warehouse_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--warehouse", type=Path,
                   help="DuckDB file (default: PRESSWATCH_WAREHOUSE or warehouse/presswatch.duckdb)")


def drop_folder_missing(drop: Path) -> bool:
    """Say so (on stderr) when the drop folder is not there; commands then exit 2."""
    if drop.is_dir():
        return False
    # a file given as the folder was said to "not exist"
    problem = "is a file, not a folder" if drop.exists() else "does not exist"
    print(f"presswatch: drop folder {drop} {problem}", file=sys.stderr)
    return True


MAX_COUNT = 1_000_000_000  # rows or results asked for; past 2**63 DuckDB's LIMIT failed with a traceback


def count_arg(text: str) -> int:
    """--limit, --top: a whole number from 1 (a negative LIMIT was a DuckDB traceback too)."""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number from 1 to {MAX_COUNT:,}")
    return int(text)


def days_in_order(since: object, until: object) -> str | None:
    """A --since after --until matched nothing, silently: the mistake, said."""
    if since is not None and until is not None and since > until:
        return f"--since {since} is after --until {until}"
    return None


def check_before_work(settings: Settings) -> None:
    """What `run` and `serve` refuse in one line (exit 2) before the NLP or a server starts: a
    foreign or unwritable warehouse, a bad agencies or themes file (a broken themes.toml would
    otherwise quarantine every article), an uninstalled model (a traceback from the NLP task)."""
    from presswatch.dedup.wire import load_agencies
    from presswatch.extract.pipeline import check_installed
    from presswatch.extract.themes import load_taxonomy
    from warehouse.db import check_warehouse

    check_warehouse(settings.warehouse)
    load_agencies(settings.wire_agencies)
    load_taxonomy()
    check_installed(settings.model)


def workers_arg(text: str) -> int:
    """--workers: the nlp_workers setting's own parser (`auto` or a number >= 0)."""
    try:
        return parse_workers(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} {exc}") from None


def database_target(output: Path, warehouse: Path) -> str | None:
    """Why `output` (an export, a report) must not be written, or None: writing it would replace
    the warehouse (or its WAL, a lake catalog, another database), read-only connection or not."""
    from warehouse.lake import is_lake, parse_target

    target = output.resolve()
    catalog = parse_target(warehouse).catalog_file if is_lake(warehouse) else Path(warehouse)
    if catalog is not None and target in (catalog.resolve(), Path(f"{catalog}.wal").resolve()):
        return f"-o {output} is the warehouse itself ({warehouse}); write to another file"
    try:
        with open(target, "rb") as f:
            head = f.read(16)
    except OSError:  # not there yet (or not readable: COPY says why)
        return None
    if head[8:12] == b"DUCK" or head.startswith(b"SQLite format 3\x00"):
        return f"-o {output} is an existing database file, not overwritten; give another path"
    return None
