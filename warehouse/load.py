"""Bulk loads: one transaction per batch writes articles, their child rows and the ledger.

A crash therefore leaves all of a batch or none of it. The duplicate checks run inside the
transaction, under DuckDB's single-writer lock, so two runs over the same folder can never
insert one article twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import polars as pl

from presswatch.faults import checkpoint
from presswatch.read.batch import FileOutcome
from presswatch.load import ARTICLE_TABLES, Frames
from presswatch.report import LedgerEntry, error_text, problems_text
from warehouse import dedup
from warehouse.aggregates import update_aggregates
from warehouse.country_aggregates import refresh_country_days
from warehouse.db import database_path, rollback, write_error
from warehouse.lake import claim_writer, is_lake_connection
from warehouse.leaders import update_leaders
from warehouse.entities import resolve_new_entities
from warehouse.frames import query_frame as _query
from warehouse.places import update_places
from warehouse.search_index import index_loaded, index_ready


# DuckDB threads for a batch's statements: the load runs beside the NLP workers, which keep every
# core busy, so DuckDB's parallel plans only add scheduling work (one thread: ~18% less CPU for
# the same statements, docs/performance.md, session 6). Measured on a DuckDB file only, so a
# DuckLake load (Parquet writes) keeps DuckDB's threads.
LOAD_THREADS = 1


@dataclass
class LoadResult:
    entries: list[LedgerEntry] = field(default_factory=list)
    articles_loaded: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> Counter:
        return Counter(e.status for e in self.entries)


def load_batch(
    con: duckdb.DuckDBPyConnection,
    outcomes: list[FileOutcome],
    frames: Frames,
    *,
    flow_run_id: str,
    seen_at: datetime,
    dedup_options: dedup.DedupOptions | None = None,
) -> LoadResult:
    if is_lake_connection(con):
        return _load_batch(con, outcomes, frames, flow_run_id=flow_run_id, seen_at=seen_at,
                           dedup_options=dedup_options)
    with _threads(con, LOAD_THREADS):
        return _load_batch(con, outcomes, frames, flow_run_id=flow_run_id, seen_at=seen_at,
                           dedup_options=dedup_options)


@contextmanager
def _threads(con: duckdb.DuckDBPyConnection, threads: int) -> Iterator[None]:
    """DuckDB's thread count for a block, then back to what it was (the connection may be reused)."""
    before = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute(f"SET threads = {int(threads)}")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(before)}")


def _load_batch(con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome], frames: Frames, *,
                flow_run_id: str, seen_at: datetime, dedup_options: dedup.DedupOptions | None) -> LoadResult:
    result = LoadResult()
    indexing = index_ready(con)  # the fts extension loaded outside the transaction
    con.execute("BEGIN TRANSACTION")
    try:
        claim_writer(con)  # on DuckLake: two overlapping loads conflict, so the anti-joins below hold
        before = con.execute("SELECT count(*), max(ingested_at) FROM articles").fetchone() if indexing else None
        keys = pl.DataFrame(
            {"file_sha256": [o.ref.sha256 for o in outcomes],
             "source_path": [o.ref.source_path for o in outcomes]},
            schema={"file_sha256": pl.String, "source_path": pl.String})
        already = set(_query(con, keys, "SELECT l.file_sha256, l.source_path FROM ingest_log l "
                                        "JOIN batch_frame k USING (file_sha256, source_path)"))
        existing = {r[0] for r in _query(
            con, frames["articles"].select("article_id"),
            "SELECT a.article_id FROM articles a JOIN batch_frame b USING (article_id)")}

        new_ids: set[str] = set()
        ledger_rows = []
        for o in outcomes:
            key = (o.ref.sha256, o.ref.source_path)
            if o.moved:
                continue
            if key in already:  # another run recorded it since we looked
                result.entries.append(LedgerEntry(key[1], key[0], "skipped"))
                continue
            entry = _classify(o, existing, new_ids)
            result.entries.append(entry)
            ledger_rows.append({
                "file_sha256": entry.sha256, "source_path": entry.path, "status": entry.status,
                "error": entry.error, "article_id": entry.article_id,
                "article_count": entry.articles, "duplicate_records": entry.duplicate_records,
                "known_records": entry.known_records,
                "records_found": entry.records_found, "file_size": o.ref.size,
                "file_mtime_ns": o.ref.mtime_ns,
                "flow_run_id": flow_run_id, "seen_at": seen_at,
            })

        keep = pl.Series("article_id", sorted(new_ids), dtype=pl.String)
        # An anti-join, not ON CONFLICT: DuckLake has no keys (warehouse/lake.py); the loader is single.
        _query(con, frames["entities"],
               "INSERT INTO entities BY NAME SELECT DISTINCT ON (entity_id) * FROM batch_frame b "
               "WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = b.entity_id)")
        for table in ARTICLE_TABLES:
            frame = frames[table].filter(pl.col("article_id").is_in(keep))
            if table == "articles":
                frame = _with_previous_version(con, frame)
            if frame.height:
                _query(con, frame, f"INSERT INTO {table} BY NAME SELECT * FROM batch_frame")
            result.rows[table] = frame.height
        # near-duplicates, wire credits, stories (docs/dedup.md)
        dedup.update(con, frames, keep, dedup_options or dedup.DedupOptions())
        update_aggregates(con, frames, keep)  # the views' aggregate tables (warehouse/aggregates.py)
        # Resolution first: a new spelling of a name the archive voted ORG (BT) must not be placed.
        resolve_new_entities(con, frames)  # new spellings join known canonical entities (warehouse/entities.py)
        update_leaders(con, frames["entities"]["entity_id"].unique().to_list())  # the run report's (migration 036)
        update_places(con, frames, keep)  # new place entities on the map, article focus (warehouse/places.py)
        refresh_country_days(con, keep.to_list())  # the country view's days of the batch, from its places
        if indexing:  # the batch's articles into the full-text index, committed with them
            index_loaded(con, keep.to_list(), before)
        if ledger_rows:
            _query(con, pl.DataFrame(ledger_rows),
                   "INSERT INTO ingest_log BY NAME SELECT * FROM batch_frame")
        checkpoint("load")  # crash tests kill here: every row written, nothing committed
    except BaseException as exc:
        rollback(con)
        if isinstance(exc, duckdb.Error) and (clear := write_error(exc, database_path(con), "writing a batch")):
            raise clear from exc
        raise
    try:
        con.execute("COMMIT")
    except duckdb.Error as exc:  # the transaction is gone: a ROLLBACK now would hide the cause
        if clear := write_error(exc, database_path(con), "committing a batch"):
            raise clear from exc
        raise
    result.articles_loaded = len(new_ids)
    return result


def _classify(o: FileOutcome, existing: set[str], new_ids: set[str]) -> LedgerEntry:
    path, sha = o.ref.source_path, o.ref.sha256
    # Until every reader counts its records, the articles read plus the problems noted.
    found = o.records_found or len(o.articles) + len(o.problems)
    if o.error is not None:
        return LedgerEntry(path, sha, "quarantined", error=error_text(o.error), records_found=found)
    ids = [a.article_id for a in o.articles]
    distinct = list(dict.fromkeys(ids))  # one file repeating a record holds one article
    fresh = [i for i in distinct if i not in existing and i not in new_ids]
    new_ids.update(fresh)
    first = (fresh or ids or [None])[0]
    status = "loaded" if fresh else "duplicate"
    return LedgerEntry(path, sha, status, error=problems_text(o.problems), article_id=first,
                       articles=len(fresh), duplicate_records=len(ids) - len(distinct),
                       known_records=len(distinct) - len(fresh), records_found=found)


def _with_previous_version(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> pl.DataFrame:
    """previous_version: the article last loaded from the same source_path and record_idx
    (a file replaced by a new version keeps its old article; the new one points at it)."""
    if not frame.height:
        return frame
    keys = frame.select("source_path", "record_idx").unique()
    previous = pl.DataFrame(
        _query(con, keys, """
            SELECT a.source_path, a.record_idx, arg_max(a.article_id, a.ingested_at)
            FROM articles a JOIN batch_frame k
              ON a.source_path = k.source_path AND a.record_idx IS NOT DISTINCT FROM k.record_idx
            GROUP BY ALL"""),
        schema={"source_path": pl.String, "record_idx": pl.Int32, "previous_version": pl.String},
        orient="row")
    return frame.join(previous, on=["source_path", "record_idx"], how="left", nulls_equal=True)


def record_run(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    checkpoint("report")
    # Delete + insert, not INSERT OR REPLACE: DuckLake has no key to replace on.
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM pipeline_runs WHERE flow_run_id = ?", [row["flow_run_id"]])
        _query(con, pl.DataFrame([row]), "INSERT INTO pipeline_runs BY NAME SELECT * FROM batch_frame")
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
