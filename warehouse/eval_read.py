"""What an evaluation reads back from a warehouse, as an analyst's SQL would: rows per source file.

Used by the end-to-end evaluations (presswatch/cli/pipeline_eval.py), which run documents through
`presswatch run` and score what the warehouse holds, so that nothing before the step measured
(readers, text normalisation, batching, loading) is skipped."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from presswatch.records import Quote
from warehouse.db import open_db

_QUOTES = """
SELECT a.source_path, q.quote_idx, q.kind, q.text, q.speaker, q.verb, q.start_char, q.end_char,
       e.name AS canonical, e.label AS speaker_label, q.speaker_start, q.speaker_end
FROM quotes q
JOIN articles a USING (article_id)
LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
ORDER BY a.source_path, q.quote_idx
"""


def quotes_by_file(db: Path) -> tuple[dict[str, list[Quote]], dict[str, str]]:
    """Quotes per file name, and each file's stored body. A quote's speaker is the stored speaker
    plus its canonical entity's name (both are what an analyst can join on)."""
    rows, bodies = _rows_and_bodies(db, _QUOTES)
    out: dict[str, list[Quote]] = defaultdict(list)
    for path, idx, kind, text, speaker, verb, start, end, canonical, label, sp_start, sp_end in rows:
        names = " ".join(n for n in dict.fromkeys([speaker, canonical]) if n)
        out[Path(path).name].append(Quote(quote_idx=idx, text=text or "", speaker=names or None, verb=verb,
                                          start_char=start or 0, end_char=end or 0, kind=kind or "direct",
                                          speaker_label=label, speaker_start=sp_start, speaker_end=sp_end))
    return dict(out), bodies


def _rows_and_bodies(db: Path, sql: str) -> tuple[list[tuple], dict[str, str]]:
    """The rows of `sql`, and each file's stored body by file name."""
    con = open_db(db, read_only=True)
    try:
        rows = con.execute(sql).fetchall()
        bodies = con.execute("SELECT source_path, body FROM articles").fetchall()
    finally:
        con.close()
    return rows, {Path(path).name: body or "" for path, body in bodies}


_TARGET_ROWS = """
SELECT a.source_path, m.start_char, m.end_char, m.sentiment_label FROM mentions m JOIN articles a USING (article_id)
UNION ALL
SELECT a.source_path, r.start_char, r.end_char, r.sentiment_label FROM mention_refs r JOIN articles a USING (article_id)
"""


def sentiment_rows_by_file(db: Path) -> tuple[dict[str, list[tuple[int, int, str | None]]], dict[str, str]]:
    """(start_char, end_char, sentiment_label) of every stored mention and reference (what an
    analyst reads a target's class from), per file name, and each file's stored body."""
    rows, bodies = _rows_and_bodies(db, _TARGET_ROWS)
    out: dict[str, list[tuple[int, int, str | None]]] = defaultdict(list)
    for path, start, end, label in rows:
        out[Path(path).name].append((start, end, label))
    return dict(out), bodies
