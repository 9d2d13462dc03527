"""The `presswatch` command: the one bridge from the domain package to flows and warehouse.

Each subcommand lives in presswatch/cli/<name>.py and imports flows lazily, so `presswatch sql`
starts fast and without Prefect.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from presswatch.config import SettingsError
from presswatch.errors import OperatorError

# Subcommand modules, in the order `presswatch --help` lists them. Each defines
# `register(subparsers)` that adds its parser and sets `func`.
COMMANDS = ["run", "serve", "feeds", "sql", "search", "export", "report", "eval", "train", "bench", "aggregates",
            "entities"]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except SettingsError as exc:  # an invalid flag or PRESSWATCH_* value: said plainly, no traceback
        print(f"presswatch: {exc}", file=sys.stderr)
        return 2
    except OperatorError as exc:  # a full disk, a foreign warehouse: cause and fix in one line
        print(f"presswatch: {exc}", file=sys.stderr)
        return exc.exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presswatch",
        description="Media monitoring: news articles in, entities, quotes, amounts and tone out, in DuckDB.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"presswatch.cli.{name}").register(sub)
    return parser


if __name__ == "__main__":
    sys.exit(main())
