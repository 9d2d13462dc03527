"""The aggregate tables: kept by each load, equal to a rebuild from the base tables, checked."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from presswatch.discover.folder import FileRef
from presswatch.load import to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import Article, Extraction, Mention, Quote, Sentence, Theme
from tests.warehouse.identity import compare_queries, compare_views
from warehouse import aggregates as aggregates_module
from warehouse import db as db_module
from warehouse import load as load_module
from warehouse.aggregates import AGGREGATES, aggregate_differences, rebuild_aggregates
from warehouse.db import MIGRATIONS, migrate
from warehouse.load import load_batch

PEOPLE = [("Antony Blinken", "PERSON"), ("Hamas", "ORG"), ("Israel", "GPE"), ("Kwame Mensah", "PERSON"),
          ("Red Cross", "ORG")]


def _article(i: int) -> tuple[Article, Extraction]:
    """Article i: 2-4 entities over 3 sentences, some mentions unscored, every 4th undated."""
    body = f"Story {i}. " + " ".join(f"{name} spoke." for name, _ in PEOPLE) + f" End {i}."
    art = Article(title=f"T{i}", body=body, published_at=None if i % 4 == 0 else date(2024, 3, 1 + i % 5),
                  source=["AFP", "Reuters"][i % 2], language="en", source_path=f"f{i}.txt", file_sha256=f"h{i}")
    mentions = []
    for k in range(2 + i % 3):
        name, label = PEOPLE[(i + k) % len(PEOPLE)]
        start = body.index(name)
        for rep in range(1 + (i + k) % 2):  # some entities twice, in two sentences
            score = None if (i + k + rep) % 5 == 0 else round(((i * 7 + k * 3 + rep) % 11 - 5) / 5, 4)
            mentions.append(Mention(name, label, rep, start + rep, start + rep + len(name), canonical=name,
                                    entity_label=label, sentiment=score))
    # quotes (agg_speaker): by a named entity of the article, by an unresolved speaker, by nobody
    first_name, first_label = PEOPLE[i % len(PEOPLE)]
    quotes = [Quote(0, "We spoke.", first_name, "said", 0, 5, kind=["direct", "mixed", "indirect"][i % 3],
                    speaker_label=first_label, sentiment=None if i % 4 == 1 else round((i % 7 - 3) / 4, 4)),
              Quote(1, "It went well.", "a spokesman", "said", 6, 12, kind="indirect", sentiment=0.25),
              Quote(2, "Nobody said it.", None, None, 13, 20)]
    ex = Extraction(article_id=art.article_id, sentences=[Sentence(s, 0, len(body), 0.1) for s in range(3)],
                    mentions=mentions, quotes=quotes[: 1 + i % 3], sentiment_method="lexicon",
                    themes=[Theme(t, 1, 0.5) for t in ("ECON", "HEALTH", "ECON")[: i % 4]])  # agg_theme_day
    return art, ex


def _load(con, ids: range, at: datetime) -> None:
    outcomes, pairs = [], []
    for i in ids:
        art, ex = _article(i)
        outcomes.append(FileOutcome(FileRef(Path(art.source_path), 10, 1, art.file_sha256), articles=[art]))
        pairs.append((art, ex))
    load_batch(con, outcomes, to_frames(pairs, flow_run_id="run", ingested_at=at), flow_run_id="run", seen_at=at)


def _table(con, name: str) -> list[tuple]:
    """A table's rows, sorted; floats to 9 decimals (sums of the same values in another order)."""
    rows = con.execute(f"SELECT * FROM {name}").fetchall()
    return sorted((tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in rows), key=repr)


@pytest.fixture()
def loaded():
    """Three batches (the third repeating two articles of the first) on two ingest days."""
    con = duckdb.connect(":memory:")
    migrate(con)
    _load(con, range(0, 12), datetime(2024, 3, 5, 9))
    _load(con, range(12, 20), datetime(2024, 3, 5, 18))
    _load(con, [*range(20, 30), 3, 4], datetime(2024, 3, 6, 8))
    return con


def test_each_load_keeps_the_aggregates_equal_to_the_base_tables(loaded):
    assert loaded.execute("SELECT count(*) FROM articles").fetchone()[0] == 30
    assert all(loaded.execute(f"SELECT count(*) FROM {t}").fetchone()[0] > 0 for t in AGGREGATES)
    assert aggregate_differences(loaded) == []


@pytest.mark.parametrize("lookup_max, per_lookup, list_max, second_looks_up",
                         [(0, 5_000, 2_000, False), (1_000, 5_000, 2_000, True), (7, 1, 7, True)])
def test_both_pair_upserts_add_a_batch_to_the_pairs_a_rebuild_gives(monkeypatch, lookup_max, per_lookup, list_max,
                                                                    second_looks_up):
    """A batch's pairs go in by a lookup of their keys (a watch-mode batch; in lists of
    db.INDEX_LOOKUP_MAX, the stored ones updated in lists of the same size, while they are at most
    PAIR_LOOKUP_MAX or one per PAIRS_PER_LOOKUP stored pairs) or by ON CONFLICT: either way
    agg_cooccurrence is the rebuild's, counts of pairs seen in earlier batches added to, keys filled."""
    monkeypatch.setattr(aggregates_module, "PAIR_LOOKUP_MAX", lookup_max)
    monkeypatch.setattr(db_module, "INDEX_LOOKUP_MAX", list_max)  # 7: several lookup lists
    monkeypatch.setattr(aggregates_module, "PAIRS_PER_LOOKUP", per_lookup)
    decided = []
    looks_up = aggregates_module._looks_up_pairs
    monkeypatch.setattr(aggregates_module, "_looks_up_pairs", lambda con, keys: decided.append(looks_up(con, keys))
                        or decided[-1])
    con = duckdb.connect(":memory:")
    migrate(con)
    _load(con, range(0, 12), datetime(2024, 3, 5, 9))
    first = {r[7]: r[6] for r in _table(con, "agg_cooccurrence")}
    _load(con, range(12, 20), datetime(2024, 3, 5, 18))
    assert decided[-1] is second_looks_up
    loaded = _table(con, "agg_cooccurrence")
    assert any(r[6] > first.get(r[7], r[6]) for r in loaded)  # a pair of the first batch counted again
    assert all(r[7] == f"{r[0]}|{r[3]}" for r in loaded)
    assert aggregate_differences(con) == []
    rebuild_aggregates(con)
    assert _table(con, "agg_cooccurrence") == loaded


def test_the_views_on_the_aggregates_equal_the_views_before_them(loaded):
    views = compare_views(loaded)
    queries = compare_queries(loaded, [date(2024, 3, 5), date(2024, 3, 6)])
    assert views.rows > 100 and queries.rows > 20
    assert views.differences == [] and queries.differences == []
    assert views.rounding_ties == [] and queries.rounding_ties == []


def test_a_rebuild_is_idempotent_and_changes_no_view(loaded):
    before = {v: _table(loaded, v) for v in ("entity_mentions_daily", "cooccurrence", "entity_article_sentiment")}
    rebuild_aggregates(loaded, pair_parts=3)
    first = {t: _table(loaded, t) for t in AGGREGATES}
    rebuild_aggregates(loaded)
    assert {t: _table(loaded, t) for t in AGGREGATES} == first
    assert {v: _table(loaded, v) for v in before} == before
    # The load wrote one agg_entity_day row per batch and key; the rebuild one per key.
    assert loaded.execute("SELECT count(*) = count(DISTINCT (entity_id, day)) FROM agg_entity_day").fetchone()[0]


def _day_keys(con) -> dict[str, str]:
    """The per-entity-day tables' key indexes: table -> its first column."""
    return {t: e.strip("[]").split(",")[0].strip().strip("'\"") for t, e in con.execute(
        "SELECT table_name, expressions FROM duckdb_indexes() WHERE is_unique AND table_name IN "
        "('agg_entity_day', 'agg_entity_sentiment_day', 'agg_spike_baseline', 'agg_entity_language_day', "
        "'agg_entity_source_day', 'agg_entity_tone_day')").fetchall()}


def test_the_per_entity_day_keys_put_the_day_first_after_migrations_and_a_rebuild(loaded):
    """Migration 038: a run's new (entity, day) keys share their day's part of each key index, so
    a checkpoint writes few of its buffers; the rebuild makes the keys again the same way."""
    assert _day_keys(loaded) == dict.fromkeys(_day_keys(loaded), "day") and len(_day_keys(loaded)) == 6
    rebuild_aggregates(loaded)
    assert _day_keys(loaded) == dict.fromkeys(_day_keys(loaded), "day") and len(_day_keys(loaded)) == 6
    with pytest.raises(duckdb.ConstraintException):  # still a key: one row per entity and day
        loaded.execute("INSERT INTO agg_entity_day SELECT * FROM agg_entity_day LIMIT 1")


def test_a_rebuild_lays_the_pairs_out_as_a_grid_of_name_a_slices_in_name_b_order(monkeypatch):
    """Both sides of entity_cooccurrence prune by zone map only if the rebuild writes slices of
    name_a ranges one after the other, each in name_b order."""
    monkeypatch.setitem(globals(), "PEOPLE", [(f"Person {k:02d}", "PERSON") for k in range(24)])  # _article's
    con = duckdb.connect(":memory:")
    migrate(con)
    _load(con, range(0, 60), datetime(2024, 3, 5, 9))
    rebuild_aggregates(con, pair_parts=4)
    rows = con.execute("SELECT name_a, name_b FROM agg_cooccurrence").fetchall()  # storage order
    runs, run = [], [rows[0]]
    for prev, row in zip(rows, rows[1:]):
        if row[1] < prev[1]:  # name_b falls: the next slice starts
            runs.append(run)
            run = []
        run.append(row)
    runs.append(run)
    assert len(rows) > 50 and 2 <= len(runs) <= 4
    spans = [(min(r[0] for r in run), max(r[0] for r in run)) for run in runs]
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))  # disjoint name_a ranges, in order


def test_one_entitys_pairs_are_its_pairs_in_the_view_before_the_aggregates(loaded):
    """entity_cooccurrence for one name = the old cooccurrence view's rows naming it on either side."""
    from tests.warehouse.identity import create_reference_views

    create_reference_views(loaded)
    names = [r[0] for r in loaded.execute("SELECT DISTINCT name FROM entities ORDER BY 1").fetchall()]
    assert len(names) == len(PEOPLE)
    for name in names:
        ref = loaded.execute("SELECT entity_a, entity_b, articles FROM ref_cooccurrence "
                             "WHERE name_a = $n OR name_b = $n", {"n": name}).fetchall()
        mine = loaded.execute("SELECT least(entity_id, other_id), greatest(entity_id, other_id), articles "
                              "FROM entity_cooccurrence WHERE name = $n", {"n": name}).fetchall()
        assert ref and sorted(mine) == sorted(ref)
    # every pair twice, once from each side, with the other side's name and label
    assert loaded.execute("SELECT count(*) FROM entity_cooccurrence").fetchone()[0] == \
        2 * loaded.execute("SELECT count(*) FROM ref_cooccurrence").fetchone()[0]
    assert loaded.execute("SELECT count(*) FROM entity_cooccurrence c JOIN entities e ON e.entity_id = c.other_id "
                          "WHERE (e.name, e.label) <> (c.other_name, c.other_label)").fetchone()[0] == 0


def test_the_check_names_a_tampered_or_missed_row(loaded):
    loaded.execute("UPDATE agg_entity SET mentions = mentions + 1 "
                   "WHERE entity_id = (SELECT min(entity_id) FROM agg_entity)")
    loaded.execute("INSERT INTO mentions (article_id, entity_id, sentiment) "
                   "SELECT article_id, entity_id, 0.5 FROM mentions LIMIT 1")
    found = aggregate_differences(loaded, limit=1000)
    # every aggregate built on mentions but the pairs (no new pair) sees the mention; those that
    # count articles (migrations 026, 028's coverage) do not: the article already named the entity;
    # nor does 031's country table: the repeated mention's entity is no place of its article;
    # 033's story table reads no mention
    assert loaded.execute("SELECT count(*) FROM article_places SEMI JOIN (SELECT article_id, entity_id "
                          "FROM mentions WHERE label IS NULL) USING (article_id, entity_id)").fetchone()[0] == 0
    assert {d.table for d in found} == set(AGGREGATES) - {"agg_cooccurrence", "agg_speaker", "agg_article_day",
                                                          "agg_theme_day", "agg_entity_language_day",
                                                          "agg_entity_source_day", "agg_coverage_day",
                                                          "agg_country_day", "agg_story_day"}
    tampered = next(d for d in found if d.table == "agg_entity" and "'mentions'" in (d.stored or ""))
    assert tampered.stored != tampered.expected
    rebuild_aggregates(loaded)
    assert aggregate_differences(loaded) == []


def test_a_failed_batch_leaves_no_aggregate_rows(monkeypatch):
    con = duckdb.connect(":memory:")
    migrate(con)

    def crash(name: str) -> None:
        raise RuntimeError(f"crash at {name}")

    def rows():
        return {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in AGGREGATES}

    empty = rows()  # nothing, but agg_top_entities' floor row (migration 036: nothing left out, 0)
    assert {t: r for t, r in empty.items() if r} == {"agg_top_entities": [(None, 0)]}
    monkeypatch.setattr(load_module, "checkpoint", crash)
    with pytest.raises(RuntimeError, match="crash at load"):
        _load(con, range(0, 5), datetime(2024, 3, 5, 9))
    assert rows() == empty


def test_the_migration_backfills_an_existing_warehouse(tmp_path):
    """A warehouse loaded before migration 010 gets its aggregates on the next open for write."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    for m in sorted(MIGRATIONS.glob("00[0-9]_*.sql")):
        con.execute(m.read_text())
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [int(m.name[:3]), m.stem])
    fresh = duckdb.connect(":memory:")  # the same rows, loaded by today's code
    migrate(fresh)
    _load(fresh, range(0, 16), datetime(2024, 3, 5, 9))
    for table in ("articles", "mentions", "entities", "quotes", "article_themes"):
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        rows = fresh.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
        con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
    migrate(con)
    assert con.execute("SELECT count(*) FROM agg_entity_article").fetchone()[0] > 0
    assert aggregate_differences(con) == []
    # (agg_coverage_day's and agg_story_day's stories come from dedup, and agg_country_day's places
    # from the places step, neither of which a migration runs over old articles: their inputs differ
    # from the fresh load's; the check above compared each with its own inputs)
    for table in set(AGGREGATES) - {"agg_coverage_day", "agg_country_day", "agg_story_day"}:
        assert _compacted(con, table) == _compacted(fresh, table), table


def _compacted(con, table: str) -> list[tuple]:
    """A table's rows with agg_entity_day summed per key (loads may split a key over batches)."""
    if table != "agg_entity_day":
        return _table(con, table)
    rows = con.execute("SELECT entity_id, day, sum(mentions), sum(articles), round(sum(sentiment_sum), 9), "
                       "sum(sentiment_count) FROM agg_entity_day GROUP BY ALL").fetchall()
    return sorted(rows, key=repr)


def _load_day(con, day: int, burst: int, at: datetime) -> None:
    """One load of `burst` articles published on day `day` of March 2024 (ids day*10 on)."""
    outcomes, pairs = [], []
    for i in range(day * 10, day * 10 + burst):
        art, ex = _article(i)
        art.published_at, art.file_sha256, art.source_path = date(2024, 3, 1) + timedelta(day), f"s{i}", f"s{i}"
        outcomes.append(FileOutcome(FileRef(Path(art.source_path), 10, 1, art.file_sha256), articles=[art]))
        pairs.append((art, ex))
    load_batch(con, outcomes, to_frames(pairs, flow_run_id="run", ingested_at=at), flow_run_id="run", seen_at=at)


def test_spikes_and_top_quoted_on_the_aggregates_equal_the_views_before_them():
    """A month of news with two bursts (spikes reads agg_entity_day by key, not a window over
    every entity-day) and quotes by resolved, unresolved and missing speakers."""
    con = duckdb.connect(":memory:")
    migrate(con)
    for day in range(30):  # one load per day
        burst = {20: 9, 26: 5}.get(day, 1 + day % 3)  # a weekly-ish rhythm, then two jumps
        _load_day(con, day, burst, datetime(2024, 4, 1))
    views = compare_views(con)
    assert views.differences == [] and views.rounding_ties == []
    spikes = con.execute("SELECT count(*), count(DISTINCT day) FROM spikes").fetchone()
    assert spikes[0] > 0 and spikes[1] >= 1
    assert con.execute("SELECT count(*) FROM top_quoted WHERE speaker_entity_id IS NULL").fetchone()[0] > 0
    con.execute("SET VARIABLE spikes_from = DATE '2024-03-25'")  # the alerts' bounded form
    assert compare_views(con).differences == []
    assert aggregate_differences(con) == []


def test_a_stray_old_article_does_not_make_the_archive_start_a_spike():
    """One article dated a year back was the archive's start: the first real day was scored
    against 14 empty days and every entity on it spiked. Days need 7 days with articles before."""
    con = duckdb.connect(":memory:")
    migrate(con)
    art, ex = _article(999)
    art.published_at, art.file_sha256, art.source_path = date(2023, 3, 1), "old", "old"
    at = datetime(2024, 4, 1)
    load_batch(con, [FileOutcome(FileRef(Path("old"), 10, 1, "old"), articles=[art])],
               to_frames([(art, ex)], flow_run_id="run", ingested_at=at), flow_run_id="run", seen_at=at)
    for day in range(22):
        _load_day(con, day, {0: 6, 20: 9}.get(day, 1 + day % 3), at)
    days = {d for (d,) in con.execute("SELECT DISTINCT day FROM spikes").fetchall()}
    assert date(2024, 3, 1) not in days  # 14 empty days before it: no baseline
    assert date(2024, 3, 21) in days  # the burst after two weeks of news still is a spike
    assert compare_views(con).differences == []


def test_spike_baselines_follow_loads_out_of_day_order():
    """Days loaded late, early and in between (a backfill): each load recomputes the baselines
    whose 14 days it touched, so the table equals a rebuild and spikes the view before it."""
    con = duckdb.connect(":memory:")
    migrate(con)
    order = [*range(20, 30), *range(0, 10), 14, 12, 19, 10, 11, 13, 15, 16, 17, 18]
    for n, day in enumerate(order):
        _load_day(con, day, {20: 9, 26: 6, 5: 7}.get(day, 3 + day % 2), datetime(2024, 4, 1) + timedelta(hours=n))
    loaded = _table(con, "agg_spike_baseline")
    assert len(loaded) >= 40 and any(r[4] > 0 for r in loaded)  # candidates with a baseline
    assert aggregate_differences(con) == []
    rebuild_aggregates(con)
    assert _table(con, "agg_spike_baseline") == loaded
    assert compare_views(con).differences == []
    assert con.execute("SELECT count(*) FROM spikes").fetchone()[0] > 0


def test_spike_explanations_are_kept_at_load_checked_and_rebuilt():
    """Each load recomputes the lists of the candidate days it added to (migration 025): the
    table equals a rebuild, the view explains every spike, and a corrupted row is reported."""
    con = duckdb.connect(":memory:")
    migrate(con)
    for n, day in enumerate([*range(20, 30), *range(0, 20)]):  # late days first, then the rest
        _load_day(con, day, {20: 9, 26: 6, 5: 7}.get(day, 3 + day % 2), datetime(2024, 4, 1) + timedelta(hours=n))
    assert aggregate_differences(con) == []
    loaded = _table(con, "agg_spike_explanation")
    assert len(loaded) == con.execute("SELECT count(*) FROM agg_spike_baseline").fetchone()[0] >= 40
    spikes = con.execute("SELECT count(*) FROM spikes").fetchone()[0]
    explained = con.execute("SELECT count(*), min(len(top_articles)), min(len(outlets)) "
                            "FROM spike_explanations").fetchone()
    assert spikes > 0 and explained[0] == spikes and explained[1] >= 3 and explained[2] >= 1
    rebuild_aggregates(con)
    assert _table(con, "agg_spike_explanation") == loaded
    con.execute("UPDATE agg_spike_explanation SET quotes = [] WHERE day = (SELECT max(day) FROM agg_spike_explanation)")
    found = aggregate_differences(con, limit=1000)
    assert found and {d.table for d in found} == {"agg_spike_explanation"}
    rebuild_aggregates(con)
    assert aggregate_differences(con) == []
