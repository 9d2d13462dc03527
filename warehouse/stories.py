"""Stories in the warehouse: the persisted Window of presswatch/dedup/stories.py.

Per batch, what the assignment needs is fetched in a few queries over the time window
(article counts per day, term counts, the postings of the rare terms, the candidates' terms
and stories), the batch is assigned in memory by the domain's `assign` (the same code the
evaluation runs), and its rows written: article_stories, story_terms, story_merges, and the
`stories` rows of every story that changed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from collections.abc import Mapping

import duckdb
import polars as pl

from presswatch.dedup.near import in_window
from presswatch.dedup.stories import StoryDoc, StoryThresholds, assign
from warehouse.db import date_literals, keyed_rows, rows_by_key

TOP_ENTITIES = 5


def ordinal(order: tuple) -> str:
    """(day, ingested_at, article_id) as one sortable string, stored in article_stories."""
    day, at, aid = order
    return f"{day.isoformat()}|{at.isoformat()}|{aid}"


class SQLWindow:
    """The articles already grouped, as the batch's days see them; new ones kept in memory.

    near_window_days: the near-duplicate window (presswatch.dedup.near.Thresholds.window_days)
    `near` was paired within: a partner may lie that far from the batch, beyond the story window."""

    def __init__(self, con: duckdb.DuckDBPyConnection, batch: list[StoryDoc], near: Mapping[str, set[str]],
                 t: StoryThresholds, query, *, near_window_days: int):
        self.t = t
        days = [d.day for d in batch]
        lo, hi = min(days) - timedelta(days=t.window_days), max(days) + timedelta(days=t.window_days)
        self.days: dict[date, int] = defaultdict(int, dict(con.execute(
            "SELECT day, count(*) FROM article_stories WHERE day BETWEEN ? AND ? GROUP BY day", [lo, hi]).fetchall()))
        terms = pl.DataFrame({"term": sorted({term for d in batch for term in d.terms})}, schema={"term": pl.Int64})
        self.term_days: dict[int, dict[date, int]] = defaultdict(dict)
        for term, day, n in query(con, terms, "SELECT term, day, count(*) FROM story_terms JOIN batch_frame "
                                              f"USING (term) WHERE day BETWEEN '{lo}' AND '{hi}' GROUP BY ALL"):
            self.term_days[term][day] = n
        cap = max(2, t.max_df * sum(self.days.values()))  # no day's window holds more than all of them
        rare = pl.DataFrame({"term": [term for term, by in self.term_days.items() if min(by.values()) <= cap]},
                            schema={"term": pl.Int64})
        self.post: dict[int, dict[date, list[str]]] = defaultdict(lambda: defaultdict(list))
        for term, aid, day in query(con, rare, "SELECT term, article_id, day FROM story_terms JOIN batch_frame "
                                               f"USING (term) WHERE day BETWEEN '{lo}' AND '{hi}'"):
            self.post[term][day].append(aid)
        wanted = {aid for by in self.post.values() for ids in by.values() for aid in ids}
        wanted |= {o for ps in near.values() for o in ps}
        # Every wanted article is a posting (within the story window of a batch day) or a near
        # partner (within the near window of one): literal day bounds covering both give the same
        # rows and let the scans of story_terms and article_stories (kept in day order) skip the
        # other days by zone map.
        reach = timedelta(days=max(t.window_days, near_window_days))
        around = f"BETWEEN DATE '{min(days) - reach:%Y-%m-%d}' AND DATE '{max(days) + reach:%Y-%m-%d}'"
        ids = pl.DataFrame({"article_id": sorted(wanted)}, schema={"article_id": pl.String})
        self._terms: dict[str, frozenset[int]] = {
            aid: frozenset(ts) for aid, ts in query(con, ids, "SELECT s.article_id, list(s.term) FROM story_terms s "
                                                              "JOIN batch_frame USING (article_id) "
                                                              f"WHERE s.day {around} GROUP BY 1")}
        self._story: dict[str, str] = dict(query(con, ids, "SELECT s.article_id, s.story_id FROM article_stories s "
                                                           f"JOIN batch_frame USING (article_id) WHERE s.day {around}"))
        self.merged_into: dict[str, str] = dict(
            con.execute("SELECT story_id, merged_into FROM story_merges").fetchall())
        # the stories' first articles, any day: by key (a join with more than 50 keys would read
        # article_stories whole: 61 ms at 1M articles, docs/performance.md, session 39)
        firsts = sorted({s[1:] for s in self._story.values()} | {s[1:] for s in self.merged_into.values()})
        self._first: dict[str, str] = {"s" + aid: o for aid, o in rows_by_key(
            con, "SELECT article_id, ordinal FROM article_stories", "article_id", firsts)}
        self.new_merges: list[tuple[str, str]] = []
        self.added: list[tuple[StoryDoc, str, tuple]] = []

    def _near(self, a: date | None, b: date | None) -> bool:
        return in_window(a, b, self.t.window_days)

    def size(self, day):
        return sum(n for d, n in self.days.items() if self._near(d, day))

    def df(self, term, day):
        by = self.term_days.get(term)
        if not by:
            return 0
        if len(by) == 1:  # most terms: seen on one day of the window (called ~50 times an article)
            (d, n), = by.items()
            return n if self._near(d, day) else 0
        return sum(n for d, n in by.items() if self._near(d, day))

    def postings(self, term, day):
        return [aid for d, ids in self.post.get(term, {}).items() if self._near(d, day) for aid in ids]

    def terms(self, article_id):
        return self._terms[article_id]

    def story(self, article_id):
        s = self._story[article_id]
        while s in self.merged_into:
            s = self.merged_into[s]
        return s

    def first_seen(self, story_id):
        return self._first[story_id]

    def add(self, d, story_id, order):
        self._story[d.article_id] = story_id
        self._terms[d.article_id] = d.terms
        self._first.setdefault(story_id, ordinal(order))
        self.days[d.day] += 1
        for term in d.terms:
            self.term_days[term][d.day] = self.term_days[term].get(d.day, 0) + 1
            self.post[term][d.day].append(d.article_id)
        self.added.append((d, story_id, order))

    def merge(self, old, into):
        self.merged_into[old] = into
        self.new_merges.append((old, into))


def update(con: duckdb.DuckDBPyConnection, batch: list[StoryDoc], near: Mapping[str, set[str]],
           order: Mapping[str, tuple], t: StoryThresholds, query, *, near_window_days: int,
           mention_counts: pl.DataFrame) -> dict[str, str]:
    """Assign the batch's articles to stories and write every row that follows (near_window_days:
    the window `near` was paired within, see SQLWindow; mention_counts: the batch's mentions per
    article and entity, `article_id, entity_id, n`, see _write_stories)."""
    if not batch:
        return {}
    window = SQLWindow(con, batch, near, t, query, near_window_days=near_window_days)
    assigned = assign(batch, near, order, window, t)
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # UTC, as every timestamp of the warehouse (was local)
    query(con, pl.DataFrame([{"article_id": d.article_id, "story_id": s, "day": d.day, "ordinal": ordinal(o)}
                             for d, s, o in window.added],
                            schema={"article_id": pl.String, "story_id": pl.String, "day": pl.Date,
                                    "ordinal": pl.String}),
          "INSERT INTO article_stories BY NAME SELECT * FROM batch_frame")
    query(con, pl.DataFrame([{"term": term, "article_id": d.article_id, "day": d.day}
                             for d in batch for term in d.terms],
                            schema={"term": pl.Int64, "article_id": pl.String, "day": pl.Date}),
          "INSERT INTO story_terms BY NAME SELECT * FROM batch_frame")
    if window.new_merges:
        query(con, pl.DataFrame([{"story_id": o, "merged_into": i, "merged_at": now} for o, i in window.new_merges]),
              "INSERT OR REPLACE INTO story_merges BY NAME SELECT * FROM batch_frame")
    _refresh(con, window, now, query, mention_counts)
    return assigned


def current_story(merged_into: Mapping[str, str], story: str) -> str:
    """The story `story` counts under now: the last of its chain of merges (itself if unmerged)."""
    seen = {story}
    while story in merged_into and merged_into[story] not in seen:  # a cycle is never written; guarded all the same
        story = merged_into[story]
        seen.add(story)
    return story


def _refresh(con, window: SQLWindow, now: datetime, query, mention_counts: pl.DataFrame) -> None:
    """Recompute the stories rows of the stories this batch touched (merged ones included)."""
    touched = {window.story(d.article_id) for d, _, _ in window.added} | {i for _, i in window.new_merges}
    canon = {old: current_story(window.merged_into, old) for old in window.merged_into}
    members = [(s, s) for s in touched] + [(old, top) for old, top in canon.items() if top in touched]
    frame = pl.DataFrame(members, schema={"member": pl.String, "story_id": pl.String}, orient="row")
    # the members' rows by their story's key (migration 037), not a join that reads every story id
    rows = keyed_rows("article_stories", "story_id", {m for m, _ in members})
    query(con, frame, "CREATE OR REPLACE TEMP TABLE story_members AS SELECT m.story_id, s.day, s.ordinal, s.article_id "
                      f"FROM batch_frame m JOIN {rows} s ON s.story_id = m.member")
    con.register("story_batch_counts", mention_counts.to_arrow())
    try:
        _write_stories(con, _member_days(con), now)
    finally:
        con.unregister("story_batch_counts")
        con.execute("DROP TABLE IF EXISTS temp.story_members")
    if window.new_merges:
        query(con, pl.DataFrame([{"story_id": o, "merged_into": i} for o, i in window.new_merges]),
              "UPDATE stories SET merged_into = b.merged_into FROM batch_frame b WHERE stories.story_id = b.story_id")


def _member_days(con) -> str:
    """A filter on stg_articles that keeps every article of story_members: their days (an
    article_stories row has its article's day), as literals, so the day filter reaches the scans
    (zone maps) where a join by id reads every article's id; no filter if a day is missing."""
    days = [d for (d,) in con.execute("SELECT DISTINCT day FROM story_members ORDER BY 1").fetchall()]
    if not days or None in days:
        return ""
    on_days = f"WHERE day IN ({date_literals(days)})"
    missed = con.execute("SELECT count(*) FROM story_members ANTI JOIN "
                         f"(SELECT article_id FROM stg_articles {on_days}) USING (article_id)").fetchone()[0]
    return "" if missed else on_days  # a day stored otherwise than stg_articles decides it: read all


def _write_stories(con, on_days: str, now: datetime) -> None:
    """The stories rows of temp table story_members' stories, from their articles (`on_days`: a
    filter on stg_articles that keeps every one of them). An article's mentions per entity come
    from agg_entity_article for the articles loaded before (the same count(*) as a join with
    `mentions`, read on the members' days only: a join read all of `mentions`, ~0.3 s cold at 1M
    articles) and from the registered story_batch_counts for the batch's own, whose aggregate
    rows the load writes after dedup."""
    con.execute(f"""
        INSERT OR REPLACE INTO stories BY NAME
        WITH arts AS (
            SELECT m.story_id, m.day, m.ordinal, a.article_id, a.source, a.title
            FROM story_members m
            JOIN (SELECT article_id, source, title FROM stg_articles {on_days}) a USING (article_id)
        ),
        ents AS (
            SELECT story_id, entity_id, sum(n) AS n FROM arts JOIN (
                SELECT article_id, entity_id, mentions AS n FROM agg_entity_article {on_days}
                UNION ALL
                SELECT article_id, entity_id, n FROM story_batch_counts) USING (article_id)
            GROUP BY ALL
        ),
        top AS (
            SELECT story_id, list(entity_id ORDER BY n DESC, entity_id) [1:{TOP_ENTITIES}] AS top_entities
            FROM ents GROUP BY 1
        ),
        agg AS (
            SELECT story_id, min(day) AS first_seen, max(day) AS last_seen, count(*) AS article_count,
                   count(DISTINCT source) AS outlets, arg_min(title, ordinal) AS title
            FROM arts GROUP BY 1
        )
        SELECT agg.*, top.top_entities, NULL AS merged_into, TIMESTAMP '{now.isoformat(sep=' ')}' AS updated_at
        FROM agg LEFT JOIN top USING (story_id)""")
