"""coverage_daily's rows kept at load (migration 028, issue 18): recomputed where dedup changes them.

coverage_daily grouped every (article, entity) pair of the archive with the article's story,
outlet and copy flag (count distincts over 1.7M rows at 100k articles: 0.7-3 CPU s a probe).
agg_coverage_day holds its rows, one per (entity, article day): the articles naming the entity,
their distinct stories and outlets, and the copies among them, so the view is a scan.

Unlike the other aggregates its rows are not only added to: an article's story (a later batch
merges two stories) and its copy flag (an earlier near-duplicate arrives later) are re-decided by
dedup after the article is loaded, and distinct counts do not add up anyway. So each change
recomputes the entity-days it touches, whole, from agg_entity_article and the article_copies view
(the rules stay in the view): deleted, then inserted again.

- `refresh_entity_days`: a batch's own entity-days (warehouse.aggregates.update_aggregates, which
  runs after dedup has written the batch's stories and pairs);
- `refresh_articles`: the entity-days of older articles whose story or copy flag a batch's dedup
  changed (warehouse.dedup.update: its pairs' older partners, the articles of merged stories).

agg_canonical_day holds canonical_mentions_daily's sums per (canonical entity, article day), with
the canonical's name, label and watchlist flag. The canonical mapping is re-decided by `presswatch
entities rebuild` (warehouse.entities.rebuild_entities rebuilds the table whole, in its
transaction) and grows at load: a batch's canonical-days are recomputed (`refresh_canonical_days`,
from update_aggregates), and when the load then joins new spellings to known canonicals
(warehouse.entities.resolve_new_entities) the days of both sides are (`refresh_aliased`). The load
maps raw ids through entity_aliases and entity_canonicals directly (the entity_canonical view's
rules, restricted to the rows at hand: the view evaluated whole costs ~115 CPU ms at 100k); the
rebuild and the check read the view, so a drift between the two shows in the check.
"""

from __future__ import annotations

import duckdb

from warehouse.db import (ARTICLE_DAYS, INDEX_LOOKUP_MAX, article_day_literals, day_range, keyed_rows,
                          keys_at_hand, sql_in_list)

COVERAGE_AGGREGATES = ("agg_coverage_day", "agg_canonical_day")
# The check's keys (warehouse.aggregates._table_differences).
COVERAGE_CHECK_KEYS = {"agg_coverage_day": ("entity_id", "day"), "agg_canonical_day": ("canonical_id", "day")}

# coverage_daily's SELECT as it was before this table (issue 19), over {rows}: (article_id,
# entity_id) pairs, one per article and entity (agg_entity_article or a part of it).
_COVERAGE = """
SELECT m.entity_id, e.name, e.label, c.day,
       count(*) AS articles,
       count(DISTINCT c.story_id) AS stories,
       count(DISTINCT c.source) AS outlets,
       count(*) FILTER (WHERE c.is_copy) AS copies
FROM (SELECT article_id, entity_id FROM {rows}) m
JOIN (SELECT article_id, day, source, story_id, is_copy FROM {copies}) c USING (article_id)
JOIN {entities} e USING (entity_id)
GROUP BY ALL
"""
# article_copies' columns that _COVERAGE reads, for the articles of relation {ids} only, by the
# view's rules (an article is a copy when a near-duplicate of it came earlier: day, then arrival,
# then id; its story is its assigned one, merges followed). The view evaluated whole reads every
# article, signature, story and pair: ~1.2 s of each watch-mode load at 1M articles. The
# aggregates check compares the rows with the view's. article_stories is cut to those articles
# before the LEFT JOIN, which builds its hash table on its right side: whole, 1M rows (~70 ms).
_COPIES_AT_HAND = """
(WITH RECURSIVE chain(story_id, current_id, depth) AS (
    SELECT story_id, merged_into, 1 FROM story_merges
    UNION ALL
    SELECT c.story_id, m.merged_into, c.depth + 1 FROM chain c JOIN story_merges m ON m.story_id = c.current_id
),
merges AS (SELECT story_id, arg_max(current_id, depth) AS current_id FROM chain GROUP BY story_id),
ids AS (SELECT DISTINCT article_id FROM {ids}),
links AS (
    SELECT n.article_id AS x, n.other_id AS y FROM near_duplicates n SEMI JOIN ids ON ids.article_id = n.article_id
    UNION ALL
    SELECT n.other_id AS x, n.article_id AS y FROM near_duplicates n SEMI JOIN ids ON ids.article_id = n.other_id
),
arts AS (
    SELECT article_id, day, ingested_at, source FROM """ + ARTICLE_DAYS + """ a
    SEMI JOIN (SELECT article_id FROM ids UNION SELECT y FROM links) w USING (article_id)
),
copies AS (
    SELECT DISTINCT l.x AS article_id
    FROM links l JOIN arts a ON a.article_id = l.x JOIN arts o ON o.article_id = l.y
    WHERE o.day < a.day
       OR (o.day = a.day AND (o.ingested_at < a.ingested_at
                              OR (o.ingested_at = a.ingested_at AND o.article_id < a.article_id)))
)
SELECT a.article_id, a.day, a.source, coalesce(m.current_id, st.story_id) AS story_id,
       c.article_id IS NOT NULL AS is_copy
FROM arts a
SEMI JOIN ids USING (article_id)
LEFT JOIN copies c USING (article_id)
LEFT JOIN (SELECT article_id, story_id FROM article_stories SEMI JOIN ids USING (article_id)) st USING (article_id)
LEFT JOIN merges m ON m.story_id = st.story_id)
"""


# canonical_mentions_daily's groups as it made them before this table (issue 13), with the sums its
# mean is made of: {rows} are agg_entity_article rows, {canonical} maps their entity_id (the
# entity_canonical view, or _MAPPED's direct lookup), {keep} may restrict to some canonical-days.
_CANONICAL = """
SELECT c.canonical_id, c.canonical_name AS name, c.canonical_label AS label, c.watchlist, a.day,
       sum(a.mentions)::BIGINT AS mentions, count(DISTINCT a.article_id) AS articles,
       sum(a.sentiment_sum) AS sentiment_sum, sum(a.sentiment_count)::BIGINT AS sentiment_count
FROM {rows} a
JOIN {canonical} c USING (entity_id)
{keep}
GROUP BY ALL
"""
# entity_canonical's columns for the raw ids of {rows} only (its rules: the alias's canonical, else
# the entity itself; the canonical's row for name, label and watchlist, else the entity's own).
_MAPPED = """
(SELECT r.entity_id, coalesce(a.canonical_id, r.entity_id) AS canonical_id,
        coalesce(c.name, e.name) AS canonical_name, coalesce(c.label, e.label) AS canonical_label,
        coalesce(c.watchlist, false) AS watchlist
 FROM (SELECT DISTINCT entity_id FROM {rows}) r
 JOIN {entities} e USING (entity_id)
 LEFT JOIN {aliases} a ON a.alias_id = r.entity_id
 LEFT JOIN {canonicals} c ON c.canonical_id = coalesce(a.canonical_id, r.entity_id))
"""


def _mapping(con: duckdb.DuckDBPyConnection, rows: str, table: str) -> None:
    """Temp table `table`: _MAPPED for the raw ids of relation `rows`. A few hundred ids (a watch
    run's) are looked up in the three tables' key indexes by IN lists; hash joins would read
    every entity, alias and canonical (~0.5 s cold at 1M articles). More ids join the tables."""
    ids = [r[0] for r in con.execute(f"SELECT DISTINCT entity_id FROM {rows}").fetchall()]
    sources = {"entities": keyed_rows("entities", "entity_id", ids),
               "aliases": keyed_rows("entity_aliases", "alias_id", ids), "canonicals": "entity_canonicals"}
    if 0 < len(ids) <= INDEX_LOOKUP_MAX:
        targets = {r[0] for r in con.execute(f"SELECT canonical_id FROM {sources['aliases']}").fetchall()} | set(ids)
        sources["canonicals"] = keyed_rows("entity_canonicals", "canonical_id", targets)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {_MAPPED.format(rows=rows, **sources)}")


def expected_coverage_rows(rows: str = "agg_entity_article") -> dict[str, str]:
    """The tables' rows recomputed from `rows` (agg_entity_article, or the check's recomputation
    of it from mentions), for the rebuild and the check."""
    return {"agg_coverage_day": _COVERAGE.format(rows=rows, copies="article_copies", entities="entities"),
            "agg_canonical_day": _CANONICAL.format(rows=rows, canonical="entity_canonical", keep="")}


def rebuild_coverage_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the (emptied) tables, inside warehouse.aggregates.rebuild_aggregates' transaction after
    agg_entity_article. In name order: a name filter then skips row groups by zone map (a string
    compare on every row otherwise), while a day filter stays an integer compare."""
    for table, select in expected_coverage_rows().items():
        con.execute(f"INSERT INTO {table} BY NAME {select} ORDER BY name, day")


def rebuild_canonical_days(con: duckdb.DuckDBPyConnection) -> None:
    """agg_canonical_day again, whole: the canonical mapping was re-decided (inside the caller's
    transaction: warehouse.entities.rebuild_entities)."""
    con.execute("DELETE FROM agg_canonical_day")
    con.execute("INSERT INTO agg_canonical_day BY NAME " + expected_coverage_rows()["agg_canonical_day"]
                + " ORDER BY name, day")


def refresh_entity_days(con: duckdb.DuckDBPyConnection, keys: str) -> None:
    """Recompute the rows of the (entity_id, day) pairs in relation `keys` (whole entity-days:
    every article of that entity and day, not only the ones that changed). The day bounds are
    literal dates: agg_entity_article's scan skips other days by zone map (kept in day order); the
    table itself is in name order after a rebuild, so its DELETE compares every row's day
    (~11-22 CPU ms at 100k: it grows with the archive)."""
    con.execute("CREATE OR REPLACE TEMP TABLE cov_keys AS "
                f"SELECT DISTINCT entity_id, day FROM {keys} WHERE day IS NOT NULL")
    try:
        if (days := day_range(con, "cov_keys")) is None:
            return
        con.execute(f"DELETE FROM agg_coverage_day t WHERE t.day {days} AND EXISTS "
                    "(SELECT 1 FROM cov_keys k WHERE k.entity_id = t.entity_id AND k.day = t.day)")
        con.execute("CREATE OR REPLACE TEMP TABLE cov_rows AS SELECT ea.article_id, ea.entity_id "
                    f"FROM agg_entity_article ea SEMI JOIN cov_keys USING (entity_id, day) WHERE ea.day {days}")
        # the names from the keys' agg_entity_day rows (migration 029; kept in day order, so the
        # day bounds skip the other days), not a hash table of every entity (1.5M at 1M: ~45 ms)
        names = ("(SELECT DISTINCT entity_id, name, label FROM agg_entity_day "
                 f"SEMI JOIN cov_keys USING (entity_id, day) WHERE day {days})")
        con.execute("INSERT INTO agg_coverage_day BY NAME "
                    + _COVERAGE.format(rows="cov_rows", copies=_COPIES_AT_HAND.format(ids="cov_rows"), entities=names))
    finally:
        con.execute("DROP TABLE IF EXISTS temp.cov_keys")
        con.execute("DROP TABLE IF EXISTS temp.cov_rows")


def refresh_articles(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Recompute the entity-days of these (already aggregated) articles: their days first, from
    the articles index, so the scan of agg_entity_article reads those days only."""
    if not article_ids:
        return
    with keys_at_hand(con, "article_id", sorted(set(article_ids)), "cov_article_ids") as keep:
        if (in_days := article_day_literals(con, keep)) is None:
            return
        # keep is `WHERE article_id IN (...)` or `SEMI JOIN <table> USING (article_id)`
        day_filter = "AND" if keep.startswith("WHERE") else "WHERE"
        keys = f"(SELECT entity_id, day FROM agg_entity_article {keep} {day_filter} day IN ({in_days}))"
        refresh_entity_days(con, keys)


def refresh_canonical_days(con: duckdb.DuckDBPyConnection, rows: str, also: str | None = None) -> None:
    """Recompute the canonical-days of `rows` (agg_entity_article rows: entity_id, day) and the
    (canonical_id, day) pairs of relation `also`, whole: every article of that canonical entity
    and day, from agg_entity_article on those days."""
    also = f"UNION SELECT canonical_id, day FROM {also}" if also else ""
    try:
        _mapping(con, rows, "can_rows_map")
        con.execute("CREATE OR REPLACE TEMP TABLE can_keys AS SELECT * FROM (SELECT DISTINCT m.canonical_id, r.day "
                    f"FROM {rows} r JOIN can_rows_map m USING (entity_id) {also}) WHERE day IS NOT NULL")
        if (days := day_range(con, "can_keys")) is None:
            return
        names = _stored_names(con)
        by_name = f"t.name IN {sql_in_list(names)} AND " if names else ""
        con.execute(f"DELETE FROM agg_canonical_day t WHERE {by_name}t.day {days} AND EXISTS "
                    "(SELECT 1 FROM can_keys k WHERE k.canonical_id = t.canonical_id AND k.day = t.day)")
        # the rows of those days whose entity is, or is an alias of, a canonical at hand: mapping
        # every entity of a day (~3k at 100k) scans the three entity tables whole (~80 CPU ms)
        members = ("(SELECT canonical_id AS entity_id FROM can_keys UNION "
                   "SELECT alias_id FROM entity_aliases SEMI JOIN can_keys USING (canonical_id))")
        con.execute("CREATE OR REPLACE TEMP TABLE can_rows AS "
                    "SELECT article_id, entity_id, day, mentions, sentiment_sum, sentiment_count "
                    f"FROM agg_entity_article WHERE day {days} AND day IN (SELECT day FROM can_keys) "
                    f"AND entity_id IN {members}")
        _mapping(con, "can_rows", "can_map")
        keep = "SEMI JOIN can_keys k ON k.canonical_id = c.canonical_id AND k.day = a.day"
        con.execute("INSERT INTO agg_canonical_day BY NAME "
                    + _CANONICAL.format(rows="can_rows", canonical="can_map", keep=keep))
    finally:
        for table in ("can_rows_map", "can_keys", "can_rows", "can_map"):
            con.execute(f"DROP TABLE IF EXISTS temp.{table}")


# A name filter pays while the names are few: a late alias's handful prune most row groups, where a
# watch batch's hundreds of canonicals, spread over the alphabet, touch most of them anyway and
# their lookup cost every load 11-14 ms on the 2k base (session 36).
NAME_FILTER_MAX = 64


def _stored_names(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """The names agg_canonical_day holds for can_keys' canonicals, by _MAPPED's rule (the
    canonical's row, else its own entity's; neither changes between entity rebuilds, which rewrite
    the table). The table is in name order, so a DELETE filtered by them skips most row groups,
    where an id aliased late spans the year of days (1.2 s at 1M articles, session 36). None
    (no filter) past NAME_FILTER_MAX ids or when an id has no name."""
    ids = [r[0] for r in con.execute("SELECT DISTINCT canonical_id FROM can_keys").fetchall()]
    if not ids or len(ids) > NAME_FILTER_MAX:
        return None
    in_ids = sql_in_list(ids)
    names = con.execute(f"""
        SELECT coalesce(c.name, e.name) FROM (SELECT unnest(?::VARCHAR[]) AS id) k
        LEFT JOIN (SELECT canonical_id, name FROM entity_canonicals WHERE canonical_id IN {in_ids}) c
            ON c.canonical_id = k.id
        LEFT JOIN (SELECT entity_id, name FROM entities WHERE entity_id IN {in_ids}) e ON e.entity_id = k.id""",
                        [ids]).fetchall()
    return None if any(n is None for n, in names) else sorted({n for n, in names})


def refresh_aliased(con: duckdb.DuckDBPyConnection, alias_ids: list[str]) -> None:
    """After the load joined these raw ids to known canonicals: the days they were counted on under
    their own id (which may keep rows: an unaliased id can be others' canonical) and those days of
    their new canonicals, recomputed."""
    if not alias_ids:
        return
    with keys_at_hand(con, "entity_id", sorted(set(alias_ids)), "can_alias_ids") as keep:
        con.execute(f"CREATE OR REPLACE TEMP TABLE can_aliased AS SELECT entity_id, day FROM agg_entity_day {keep}")
    try:
        refresh_canonical_days(con, "can_aliased", "(SELECT entity_id AS canonical_id, day FROM can_aliased)")
    finally:
        con.execute("DROP TABLE IF EXISTS temp.can_aliased")
