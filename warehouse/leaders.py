"""The run report's all-time top entities kept at load (migration 036, issue 18).

queries/top_entities.sql sums agg_entity by canonical entity (1.5M rows, 205k aliases at 1M
articles: ~0.2 s of every watch run's report). agg_top_entities keeps the LEADERS_KEPT largest
canonical totals (ties at the last rank too) and one floor row (canonical_id NULL): the largest
total of any canonical left out. A load recomputes the totals of the canonicals its entities
belong to (`update_leaders`) and merges them in; totals of the others do not change, so they stay
at or under the floor, and whatever a cut leaves out raises the floor. The report reads the table
(`top_entities`) when its 10th total is above the floor, so no left-out canonical can rank with
it, and falls back to the SQL file otherwise. The entity and aggregate rebuilds (which re-map or
recompute every total) and a table without its floor row recompute it whole (`rebuild_leaders`).
"""

from __future__ import annotations

import duckdb

from warehouse.db import QUERIES, keyed_rows, sql_in_list

LEADERS_KEPT = 50  # migration 036's backfill keeps as many
REPORT_TOP = 10

# top_entities.sql's totals (its `totals` CTE), over {agg_entity}, {aliases} and {canonicals}: the
# tables, or their rows for the raw ids at hand and their canonicals (key lookups, not scans).
_TOTALS = """
SELECT coalesce(x.canonical_id, a.entity_id) AS canonical_id, sum(a.mentions)::BIGINT AS mentions
FROM {agg_entity} a
LEFT JOIN {aliases} x ON x.alias_id = a.entity_id
LEFT JOIN {canonicals} k ON k.canonical_id = coalesce(x.canonical_id, a.entity_id)
WHERE coalesce(k.label, a.label) IN ('PERSON', 'ORG')
GROUP BY ALL
"""
_WHOLE = {"agg_entity": "agg_entity", "aliases": "entity_aliases", "canonicals": "entity_canonicals"}
# top_entities.sql's `final` over the leaders (?: their ids, then their totals), whose rows of
# entity_canonicals and agg_entity are looked up by key ({ids}: an IN list of the ids).
_FINAL = """
SELECT coalesce(k.name, a.name) AS name, coalesce(k.label, a.label) AS label, CAST(l.mentions AS BIGINT) AS mentions
FROM (SELECT unnest(?::VARCHAR[]) AS canonical_id, unnest(?::BIGINT[]) AS mentions) l
LEFT JOIN (SELECT * FROM entity_canonicals WHERE canonical_id IN {ids}) k ON k.canonical_id = l.canonical_id
LEFT JOIN (SELECT * FROM agg_entity WHERE entity_id IN {ids}) a ON a.entity_id = l.canonical_id
ORDER BY mentions DESC, name
LIMIT 10
"""


def rebuild_leaders(con: duckdb.DuckDBPyConnection) -> None:
    """The table again, whole, from every total (inside the caller's transaction)."""
    _write(con, f"({_TOTALS.format(**_WHOLE)})", floor=0)


def update_leaders(con: duckdb.DuckDBPyConnection, entity_ids: list[str]) -> None:
    """Merge in the current totals of the canonicals of these raw ids (a batch's entities, after
    the load resolved them), inside the load's transaction. A raw id that is now an alias leaves
    the table under its own id (its total moved to its canonical's)."""
    floor = _floor(con)
    if floor is None:  # emptied by hand (the migration fills it; a load is one transaction): whole
        rebuild_leaders(con)
        return
    if not entity_ids:
        return
    touched = _canonicals_of(con, entity_ids) | set(entity_ids)
    members = touched | _aliases_of(con, touched)
    sources = {"agg_entity": keyed_rows("agg_entity", "entity_id", members),
               "aliases": keyed_rows("entity_aliases", "alias_id", members),
               "canonicals": keyed_rows("entity_canonicals", "canonical_id", touched)}
    in_touched = f"canonical_id IN {sql_in_list(sorted(touched))}"
    kept = f"(SELECT canonical_id, mentions FROM agg_top_entities WHERE canonical_id IS NOT NULL AND NOT {in_touched})"
    fresh = f"(SELECT * FROM ({_TOTALS.format(**sources)}) WHERE {in_touched})"
    _write(con, f"({kept} UNION ALL {fresh})", floor)


def top_entities(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The run report's top 10 (name, label, mentions), as queries/top_entities.sql gives them:
    from the kept leaders when they decide it, else from the SQL file."""
    floor = _floor(con)
    if floor is not None:
        leaders = con.execute("SELECT canonical_id, mentions FROM agg_top_entities WHERE canonical_id IS NOT NULL "
                              f"QUALIFY rank() OVER (ORDER BY mentions DESC) <= {REPORT_TOP}").fetchall()
        # every canonical of the top ranks is kept: none was left out (floor 0), or 10 ranks are
        # filled by totals above the floor (which every canonical left out is at or under)
        if floor == 0 or (len(leaders) >= REPORT_TOP and min(m for _, m in leaders) > floor):
            if not leaders:
                return []
            ids = [c for c, _ in leaders]
            return con.execute(_FINAL.format(ids=sql_in_list(ids)), [ids, [m for _, m in leaders]]).fetchall()
    return con.execute((QUERIES / "top_entities.sql").read_text()).fetchall()


def _write(con: duckdb.DuckDBPyConnection, candidates: str, floor: int) -> None:
    """Keep the LEADERS_KEPT largest of `candidates` (ties too); the largest cut raises the floor."""
    con.execute("CREATE OR REPLACE TEMP TABLE leader_candidates AS SELECT canonical_id, mentions, "
                f"rank() OVER (ORDER BY mentions DESC) AS r FROM {candidates} WHERE mentions > 0")
    try:
        cut = con.execute(f"SELECT max(mentions) FROM leader_candidates WHERE r > {LEADERS_KEPT}").fetchone()[0]
        con.execute("DELETE FROM agg_top_entities")
        con.execute("INSERT INTO agg_top_entities SELECT canonical_id, mentions FROM leader_candidates "
                    f"WHERE r <= {LEADERS_KEPT}")
        con.execute("INSERT INTO agg_top_entities VALUES (NULL, ?)", [max(floor, cut or 0)])
    finally:
        con.execute("DROP TABLE IF EXISTS temp.leader_candidates")


def _floor(con: duckdb.DuckDBPyConnection) -> int | None:
    """The floor row's total; None when the table has no floor row."""
    return con.execute("SELECT max(mentions) FROM agg_top_entities WHERE canonical_id IS NULL").fetchone()[0]


def _canonicals_of(con: duckdb.DuckDBPyConnection, ids: list[str]) -> set[str]:
    return {r[0] for r in con.execute("SELECT canonical_id FROM entity_aliases "
                                      f"WHERE alias_id IN {sql_in_list(sorted(set(ids)))}").fetchall()}


def _aliases_of(con: duckdb.DuckDBPyConnection, canonicals: set[str]) -> set[str]:
    return {r[0] for r in con.execute("SELECT alias_id FROM entity_aliases "
                                      f"WHERE canonical_id IN {sql_in_list(sorted(canonicals))}").fetchall()}


def leader_differences(con: duckdb.DuckDBPyConnection, limit: int) -> list[tuple[str, str | None, str | None]]:
    """(canonical_id, stored, expected) where the table breaks its promise, for the aggregates
    check: a kept total that is not its canonical's, or a canonical left out above the floor. (A
    table without its floor row promises nothing: the report reads the SQL file, the next load
    fills it.)"""
    floor = _floor(con)
    if floor is None:
        return []
    rows = con.execute(f"""
        WITH t AS ({_TOTALS.format(**_WHOLE)}),
        s AS (SELECT canonical_id, mentions FROM agg_top_entities WHERE canonical_id IS NOT NULL)
        SELECT coalesce(s.canonical_id, t.canonical_id), s.mentions, t.mentions
        FROM s FULL JOIN t USING (canonical_id)
        WHERE (s.canonical_id IS NOT NULL AND s.mentions IS DISTINCT FROM t.mentions)
           OR (s.canonical_id IS NULL AND t.mentions > ?)
        ORDER BY 1 LIMIT {int(limit)}""", [floor]).fetchall()
    return [(c, None if s is None else str(s), None if e is None else str(e)) for c, s, e in rows]
