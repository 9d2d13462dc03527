"""Spikes, their explanations and the alerts table, on a small hand-made warehouse whose dates
are relative to today (alerts look at recent days only)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from presswatch.monitor.rules import SpikeRules
from warehouse.aggregates import rebuild_aggregates
from warehouse.alerts import mark_emitted, new_match_alerts, new_spike_alerts, pending, record_new
from warehouse.db import copy_warehouse, writer

TODAY = datetime.now(timezone.utc).date()
BASELINE = [2, 1, 3, 2, 2, 1, 2, 3, 2, 2, 1, 2, 2, 3, 2, 2]  # the 16 days before today


def _add(con, aid: str, day: date, run: str, entities: list[str], title: str = "t", source: str = "AFP") -> None:
    con.execute("INSERT INTO articles (article_id, title, source, url, body, tone, published_at, ingested_at, "
                "flow_run_id, language) VALUES (?, ?, ?, ?, 'body', 1.0, ?, ?, ?, 'en')",
                [aid, title, source, f"https://news.example/{aid}", day, datetime.combine(day, datetime.min.time()),
                 run])
    for i, eid in enumerate(entities):
        con.execute("INSERT INTO mentions (article_id, entity_id, sentence_idx, start_char, sentiment) "
                    "VALUES (?, ?, 0, ?, 0.1)", [aid, eid, i])


@pytest.fixture()
def warehouse(built, tmp_path):
    """A copy per test: tests record alerts and drop tables."""
    path = tmp_path / "w.duckdb"
    copy_warehouse(built, path)  # with its WAL
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("alerts") / "w.duckdb"
    with writer(path) as con:
        con.execute("INSERT INTO entities VALUES ('ofg', 'Ofgem', 'ORG'), ('ste', 'Steady Bank', 'ORG'), "
                    "('wk', 'Weekly Column', 'ORG'), ('ris', 'Rising Star', 'PERSON')")
        n = 0
        for back, count in zip(range(16, 0, -1), BASELINE):
            day = TODAY - timedelta(days=back)
            for _ in range(count):
                n += 1
                _add(con, f"b{n}", day, "old", ["ofg"])
            for _ in range(3):  # steady: three a day, every day
                n += 1
                _add(con, f"b{n}", day, "old", ["ste"])
            weekly = 10 if back % 7 == 0 else 1  # a weekly column: every 7th day is busy
            for _ in range(weekly):
                n += 1
                _add(con, f"b{n}", day, "old", ["wk"])
            rising = 12 if back == 1 else 1  # already up yesterday
            for _ in range(rising):
                n += 1
                _add(con, f"b{n}", day, "old", ["ris"])
        for i in range(25):  # today: Ofgem in 25 articles, Steady Bank beside it in 3 of them
            _add(con, f"s{i}", TODAY, "new", ["ofg", "ste"] if i < 3 else ["ofg"], title=f"Ofgem story {i}",
                 source="BBC" if i % 2 else "AFP")
        for i in range(10):
            _add(con, f"w{i}", TODAY, "new", ["wk"])
        for i in range(13):
            _add(con, f"r{i}", TODAY, "new", ["ris"])
        con.execute("INSERT INTO quotes (article_id, quote_idx, kind, text, speaker, speaker_entity_id) "
                    "VALUES ('s0', 0, 'direct', 'We will act', 'Ofgem', 'ofg')")
        rebuild_aggregates(con)
    return path


def test_the_spikes_view_finds_the_jump_and_nothing_else(warehouse):
    with writer(warehouse) as con:
        rows = con.execute("SELECT name, day, articles, baseline_days, previous_day, same_weekday, spike_level "
                           "FROM spikes WHERE articles >= 5").fetchall()
    # The weekly column (same weekday busy) and the rise that began yesterday are not confirmed.
    assert [(r[0], r[1], r[2]) for r in rows if r[1] == TODAY] == [("Ofgem", TODAY, 25)]
    [ofgem] = [r for r in rows if r[0] == "Ofgem"]
    assert ofgem[3:] == (14, 2, BASELINE[-7], 3.0)
    # Yesterday's rise of Rising Star is a spike of yesterday (confirmed against the day before).
    assert {(r[0], r[1]) for r in rows} == {("Ofgem", TODAY), ("Rising Star", TODAY - timedelta(days=1))}


def test_sensitivity_and_minimum_volume_filter(warehouse):
    with writer(warehouse) as con:
        assert len(new_spike_alerts(con, "new", SpikeRules(k=3.0, min_articles=25))) == 1
        assert new_spike_alerts(con, "new", SpikeRules(k=3.0, min_articles=26)) == []


def test_a_spike_alert_is_explained_and_recorded_once(warehouse):
    with writer(warehouse) as con:
        [alert] = new_spike_alerts(con, "new", SpikeRules(), ui_url="http://127.0.0.1:4200")
        p = alert.payload
        assert alert.key == f"spike:ofg:{TODAY.isoformat()}" and alert.event == "presswatch.alert.spike"
        assert p["entity"] == {"id": "ofg", "name": "Ofgem", "label": "ORG"}
        assert p["figures"]["articles"] == 25 and p["figures"]["spike_level"] == 3.0
        assert p["figures"]["baseline_mean"] == pytest.approx(sum(BASELINE[-14:]) / 14, abs=0.01)
        assert {o["source"]: o["articles"] for o in p["why"]["outlets"]} == {"AFP": 13, "BBC": 12}
        assert p["why"]["co_mentioned"] == [{"name": "Steady Bank", "label": "ORG", "articles": 3}]
        assert p["why"]["quotes"] == [{"speaker": "Ofgem", "text": "We will act"}]
        assert len(p["why"]["articles"]) == 5 and p["links"]["articles"][0].startswith("https://news.example/s")
        assert p["links"]["flow_run"] == "http://127.0.0.1:4200/runs/flow-run/new"
        json.dumps(p)  # the payload is plain JSON
        assert record_new(con, [alert], "new") == 1
        assert new_spike_alerts(con, "new", SpikeRules()) == []  # alerted: not found again
        assert record_new(con, [alert], "new") == 0  # and never written twice
        assert [a.key for a in pending(con)] == [alert.key]
        [again] = pending(con)  # as a crashed run leaves it: the next run re-sends the same event id
        assert (again.payload, again.resource, again.event_id) == (p, alert.resource, alert.event_id)
        mark_emitted(con, [alert.key])
        assert pending(con) == []


def test_old_days_and_other_runs_raise_nothing(warehouse):
    with writer(warehouse) as con:
        assert new_spike_alerts(con, "old", SpikeRules(max_age_days=0)) == []
        # Yesterday's Rising Star spike is found for the run that loaded it while it is recent.
        found = new_spike_alerts(con, "old", SpikeRules(max_age_days=2))
        assert [a.payload["entity"]["name"] for a in found] == ["Rising Star"]
        assert new_spike_alerts(con, "old", SpikeRules(), today=TODAY + timedelta(days=10)) == []


def test_matches_need_the_search_hits_table_and_are_recorded_once(warehouse):
    with writer(warehouse) as con:
        con.execute("DROP TABLE IF EXISTS search_hits")  # a warehouse without saved searches' table
        assert new_match_alerts(con, "new", SpikeRules()) == []  # no table: no matches, no error
        con.execute("CREATE TABLE search_hits (search_name VARCHAR, article_id VARCHAR, score DOUBLE, "
                    "matched_at TIMESTAMP, flow_run_id VARCHAR, PRIMARY KEY (search_name, article_id))")
        con.execute("INSERT INTO search_hits VALUES ('energy', 's1', 3.5, now(), 'new'), "
                    "('energy', 'b1', 1.0, now(), 'old')")
        [alert] = new_match_alerts(con, "new", SpikeRules())
        assert alert.key == "match:energy:s1" and alert.event == "presswatch.alert.match"
        assert alert.payload["article"]["title"] == "Ofgem story 1"
        assert alert.payload["figures"] == {"score": 3.5}
        assert alert.resource["prefect.resource.id"] == "presswatch.search.energy"
        assert record_new(con, [alert], "new") == 1
        assert new_match_alerts(con, "new", SpikeRules()) == []


def test_bounded_spikes_score_only_their_days_with_the_same_figures(warehouse):
    from warehouse.spikes import spike_days

    with writer(warehouse) as con:
        everything = con.execute("SELECT * FROM spikes ORDER BY day, entity_id").fetchall()
        with spike_days(con, TODAY):
            today = con.execute("SELECT * FROM spikes ORDER BY day, entity_id").fetchall()
            explained = con.execute("SELECT name, day FROM spike_explanations").fetchall()
        with spike_days(con, TODAY - timedelta(days=1), TODAY - timedelta(days=1)):
            yesterday = con.execute("SELECT * FROM spikes ORDER BY day, entity_id").fetchall()
        assert con.execute("SELECT count(*) FROM spikes").fetchone()[0] == len(everything)  # bounds reset
    day = 3  # entity_id, name, label, day, ...
    assert today == [r for r in everything if r[day] == TODAY] and today
    assert yesterday == [r for r in everything if r[day] == TODAY - timedelta(days=1)] and yesterday
    assert {n for n, _ in explained} == {"Ofgem"} | {r[1] for r in today}


def test_canonical_spikes_score_the_same_figures_as_the_spikes_view(warehouse):
    """Without aliases every canonical entity is one raw entity: the same rows, bounded the same way."""
    from warehouse.spikes import canonical_spike_days

    cols = "name, label, day, articles, mentions, baseline_mean, baseline_sd, baseline_days, z_score, spike_level"
    with writer(warehouse) as con:
        with canonical_spike_days(con, TODAY - timedelta(days=1), TODAY):
            mine = con.execute(f"SELECT {cols} FROM canonical_spikes ORDER BY day, name").fetchall()
            raw = con.execute(f"SELECT {cols} FROM spikes ORDER BY day, name").fetchall()
        views = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'canonical_spikes'").fetchone()
    assert views == (0,)  # the temp view is gone after the block
    assert mine == raw and len(mine) == 2


@pytest.fixture()
def spellings(tmp_path):
    """Tony Blair named as `Tony Blair` and as `Blair` (one entity by entity_aliases), one article a
    day for 16 days; today 4 and 3 articles (one names both): under 5 each, 6 together. Ofgem 2 a
    day, 10 today. Tony Blair is on the watchlist."""
    path = tmp_path / "s.duckdb"
    with writer(path) as con:
        con.execute("INSERT INTO entities VALUES ('tb', 'Tony Blair', 'PERSON'), ('bl', 'Blair', 'PERSON'), "
                    "('lab', 'Labour', 'ORG'), ('ofg', 'Ofgem', 'ORG')")
        con.execute("INSERT INTO entity_aliases VALUES ('bl', 'tb', 'blair', 'surname', now())")
        con.execute("INSERT INTO entity_canonicals (canonical_id, name, label, key, watchlist) "
                    "VALUES ('tb', 'Tony Blair', 'PERSON', 'tony blair', true)")
        for back in range(16, 0, -1):
            day = TODAY - timedelta(days=back)
            _add(con, f"p{back}", day, "old", ["tb" if back % 2 else "bl"])
            for i in range(2):
                _add(con, f"o{back}-{i}", day, "old", ["ofg"])
        for i, ents in enumerate([["tb", "lab"], ["tb", "lab"], ["tb"], ["bl"], ["bl"], ["tb", "bl"]]):
            _add(con, f"t{i}", TODAY, "new", ents, source="BBC")
        for i in range(10):
            _add(con, f"g{i}", TODAY, "new", ["ofg"])
        rebuild_aggregates(con)
    return path


def test_a_spike_counts_every_spelling_of_an_entity_once(spellings):
    with writer(spellings) as con:
        raw = con.execute("SELECT name, articles FROM spikes WHERE day = ? AND name <> 'Ofgem'", [TODAY]).fetchall()
        alerts = new_spike_alerts(con, "new", SpikeRules(entities="all"))
    assert all(articles < 5 for _, articles in raw)  # neither spelling alone would be alerted
    by_name = {a.payload["entity"]["name"]: a for a in alerts}
    assert set(by_name) == {"Tony Blair", "Ofgem"}
    blair = by_name["Tony Blair"]
    assert blair.key == f"spike:tb:{TODAY.isoformat()}" and blair.payload["entity"]["id"] == "tb"
    assert blair.payload["figures"]["articles"] == 6 and blair.payload["figures"]["baseline_mean"] == 1.0
    # explained by its main spelling's lists (Tony Blair: 4 articles), its own spelling `Blair` not
    # listed as co-mentioned beside it
    assert len(blair.payload["why"]["articles"]) == 4
    assert blair.payload["why"]["co_mentioned"] == [{"name": "Labour", "label": "ORG", "articles": 2}]
    assert "canonical_mentions_daily WHERE canonical_id = 'tb'" in blair.payload["sql"]


def test_with_a_watchlist_the_alerts_are_its_entities_unless_told_otherwise(spellings):
    with writer(spellings) as con:
        names = {r: [a.payload["entity"]["name"] for a in new_spike_alerts(con, "new", SpikeRules(entities=r))]
                 for r in ("auto", "watchlist", "all")}
        con.execute("UPDATE entity_canonicals SET watchlist = false")  # no watchlist any more
        rebuild_aggregates(con)
        names["auto, no watchlist"] = [a.payload["entity"]["name"]
                                       for a in new_spike_alerts(con, "new", SpikeRules())]
    assert names == {"auto": ["Tony Blair"], "watchlist": ["Tony Blair"], "all": ["Ofgem", "Tony Blair"],
                     "auto, no watchlist": ["Ofgem", "Tony Blair"]}
    with pytest.raises(ValueError, match="entities must be one of auto, watchlist, all"):
        SpikeRules(entities="everyone")


def test_the_report_lists_canonical_spikes_and_finds_them_by_any_spelling(spellings):
    from warehouse.reports import read_figures

    with writer(spellings) as con:
        every = read_figures(con, TODAY - timedelta(days=3), TODAY).spikes
        blair = read_figures(con, TODAY - timedelta(days=3), TODAY, entity="Blair").spikes
    assert [(s["name"], s["articles"]) for s in every] == [("Ofgem", 10), ("Tony Blair", 6)]
    assert [(s["name"], s["articles"]) for s in blair] == [("Tony Blair", 6)]
