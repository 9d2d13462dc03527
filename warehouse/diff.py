"""Row-for-row comparison of two warehouses, for refactors that must not change outputs.

`python -m warehouse.diff OLD.duckdb NEW.duckdb` compares every table and view the two share,
on the columns they share, minus run ids, timestamps and the pipeline version (which differ
between any two runs), with EXCEPT ALL both ways; it exits 1 if any relation differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

# Columns that name a run, a moment or a file's mtime, or the code version: differ by design.
VOLATILE = {"flow_run_id", "ingested_at", "seen_at", "started_at", "finished_at", "applied_at", "file_mtime_ns",
            "created_at", "pipeline_version", "decided_at", "rebuilt_at"}  # the last two: entity rebuilds
# Bookkeeping relations, not data.
SKIP = {"schema_migrations", "schema_views", "pipeline_runs"}


def relations(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_catalog = ? and table_schema = 'main' order by table_name, ordinal_position",
        [catalog]).fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def compare(old: Path, new: Path) -> list[tuple[str, int, int, int]]:
    """(relation, rows, only in old, only in new) for every relation both files have."""
    con = duckdb.connect()
    con.execute(f"attach '{old}' as old (read_only)")
    con.execute(f"attach '{new}' as new (read_only)")
    a, b = relations(con, "old"), relations(con, "new")
    report = []
    for name in sorted(set(a) & set(b) - SKIP):
        cols = ", ".join(f'"{c}"' for c in a[name] if c in b[name] and c not in VOLATILE)
        count = con.execute(f'select count(*) from old."{name}"').fetchone()[0]
        gone = con.execute(f'select count(*) from (select {cols} from old."{name}" '
                           f'except all select {cols} from new."{name}")').fetchone()[0]
        added = con.execute(f'select count(*) from (select {cols} from new."{name}" '
                            f'except all select {cols} from old."{name}")').fetchone()[0]
        report.append((name, count, gone, added))
    return report


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m warehouse.diff OLD.duckdb NEW.duckdb", file=sys.stderr)
        return 2
    report = compare(Path(argv[0]), Path(argv[1]))
    print(f"{'relation':32} {'rows':>7} {'only old':>9} {'only new':>9}")
    for name, count, gone, added in report:
        print(f"{name:32} {count:7} {gone:9} {added:9}")
    return 1 if any(gone or added for _, _, gone, added in report) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
