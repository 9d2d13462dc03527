"""At the end of an ingest that grew the archive a lot (here: the first load) the flow re-resolves
the archive's entities with the user's watchlist and puts its places on the map; a run that
loads nothing new does not, and a broken watchlist skips the rebuild, not the run."""

from __future__ import annotations

import pytest

from tests.flows import procs
from tests.flows.conftest import seed_run

pytestmark = [pytest.mark.usefixtures("prefect_server"), pytest.mark.slow]

WATCHLIST = """
[[entity]]
name = "Antony Blinken"
label = "PERSON"
aliases = ["Blinken"]
wikidata = "Q4775578"
"""


def test_the_first_load_re_resolves_the_archive_with_the_watchlist(tmp_path):
    from flows.ingest import ingest

    (tmp_path / "entities.toml").write_text(WATCHLIST)
    params = seed_run(tmp_path).model_copy(update={"entities": tmp_path / "entities.toml"})
    ingest(params)
    entities = procs.rows(params.warehouse, "SELECT count(*) FROM entities")[0][0]
    assert procs.rows(params.warehouse, "SELECT trigger, entities FROM entity_rebuilds") == [("run", entities)]
    got = procs.rows(params.warehouse, "SELECT DISTINCT canonical_name, wikidata FROM entity_canonical "
                                       "WHERE watchlist")
    assert got == [("Antony Blinken", "Q4775578")]
    assert procs.rows(params.warehouse, "SELECT count(*) FROM places")[0][0] > 0
    ingest(params)  # nothing new in the drop folder: no second rebuild
    assert len(procs.rows(params.warehouse, "SELECT * FROM entity_rebuilds")) == 1


def test_a_broken_watchlist_skips_the_rebuild_not_the_run(tmp_path):
    from flows.ingest import ingest

    (tmp_path / "entities.toml").write_text("[[entity]]\nname = 'Nobody'\nlabel = 'NOPE'\n")
    params = seed_run(tmp_path).model_copy(update={"entities": tmp_path / "entities.toml"})
    state = ingest(params, return_state=True)
    assert state.is_completed()
    assert procs.rows(params.warehouse, "SELECT count(*) FROM articles")[0][0] > 0
    assert procs.rows(params.warehouse, "SELECT count(*) FROM entity_rebuilds")[0][0] == 0
