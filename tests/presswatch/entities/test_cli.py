"""`presswatch entities rebuild|merges` on a real warehouse file (presswatch/cli/entities.py)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from presswatch.cli import main
from tests.warehouse.test_entities import ARCHIVE, _load
from warehouse.db import migrate


def test_rebuild_applies_the_watchlist_and_merges_lists_them(tmp_path, capsys):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    _load(con, ARCHIVE, datetime(2004, 3, 2))
    con.close()
    watchlist = tmp_path / "entities.toml"
    watchlist.write_text('[[entity]]\nname = "Tony Blair"\nlabel = "PERSON"\naliases = ["TB"]\nwikidata = "Q9545"\n')
    assert main(["entities", "rebuild", "--warehouse", str(path), "--watchlist", str(watchlist)]) == 0
    assert "1 watchlist entries" in capsys.readouterr().out
    assert main(["entities", "merges", "--warehouse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "George W Bush [PERSON]" in out and "Bush (PERSON" in out and "Tony Blair [PERSON]" in out
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT wikidata FROM entity_canonical WHERE name = 'Mr Blair'").fetchone() == ("Q9545",)
    con.close()


def test_a_missing_warehouse_or_a_bad_watchlist_is_said_plainly(tmp_path, capsys):
    assert main(["entities", "rebuild", "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    path = tmp_path / "w.duckdb"
    duckdb.connect(str(path)).close()
    bad = tmp_path / "entities.toml"
    bad.write_text('[[entity]]\nname = "X"\n')
    assert main(["entities", "rebuild", "--warehouse", str(path), "--watchlist", str(bad)]) == 2
    assert "label must be one of" in capsys.readouterr().err


def test_splits_lists_the_pairs_the_rules_left_apart(tmp_path, capsys):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    # Liverpool the city (6) and the club (12): each label common, kept apart by the rules.
    _load(con, ARCHIVE + [[("Liverpool", "GPE")]] * 6 + [[("Liverpool", "ORG")]] * 12, datetime(2004, 3, 2))
    con.close()
    assert main(["entities", "rebuild", "--warehouse", str(path)]) == 0
    capsys.readouterr()
    assert main(["entities", "splits", "--warehouse", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Liverpool [ORG] 12 mentions | Liverpool [GPE] 6 mentions (same key)"


def test_places_prints_the_share_of_place_mentions_on_the_map(tmp_path, capsys):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    # London is on the map; Blinkx (a firm the tagger took for a place, never "in Blinkx") is
    # voted ORG by the rebuild, so it is no unplaced GPE.
    _load(con, [[("London", "GPE")]] * 3 + [[("Blinkx", "GPE")]] * 2 + [[("Zorblax Sea", "LOC")]], datetime(2004, 3, 2))
    con.close()
    assert main(["entities", "rebuild", "--warehouse", str(path)]) == 0
    capsys.readouterr()
    assert main(["entities", "places", "--warehouse", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "GPE: 3 of 3 mentions on the map (100.0%)", "LOC: 0 of 1 mentions on the map (0.0%)"]


def test_check_places_prints_each_sampled_mention_with_its_reading_and_sentence(tmp_path, capsys):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    _load(con, [[("Paris", "GPE"), ("France", "GPE")], [("Zorbleton", "GPE")]], datetime(2004, 3, 2))
    con.close()
    assert main(["entities", "rebuild", "--warehouse", str(path)]) == 0
    capsys.readouterr()
    assert main(["entities", "check-places", "--top", "5", "--warehouse", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # Zorbleton is on no map: two placed mentions, each with its sentence.
    assert len(lines) == 2
    paris = next(line for line in lines if line.startswith(("1. Paris", "2. Paris")))
    assert "Paris (FR, city, 48.85, 2.35" in paris and paris.endswith("| Paris spoke.")
