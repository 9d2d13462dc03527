"""Data checks next to the models: each warehouse/checks/<name>.sql returns offending rows."""

from __future__ import annotations

import duckdb

from warehouse.db import CHECKS


def check_files() -> dict[str, str]:
    """Each check's SQL by name (the file name)."""
    return {p.stem: p.read_text() for p in sorted(CHECKS.glob("*.sql"))}


def run_checks(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every check with the rows it found (an empty list: the check passes)."""
    return {name: con.execute(sql).fetchall() for name, sql in check_files().items()}
