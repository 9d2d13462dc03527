"""The data checks (warehouse/checks/*.sql) over a warehouse loaded from seeds/ by the ingest flow."""

from __future__ import annotations


import duckdb
import pytest

from tests.flows.conftest import seed_run
from warehouse.checks import check_files, run_checks
from warehouse.db import copy_warehouse

pytestmark = pytest.mark.usefixtures("prefect_server")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A warehouse holding seeds/ as the ingest flow loads it."""
    from flows.ingest import ingest

    params = seed_run(tmp_path_factory.mktemp("checks"))
    ingest(params)
    return params.warehouse


def test_the_seed_warehouse_passes_every_check(seeded):
    con = duckdb.connect(str(seeded), read_only=True)
    try:
        # The checks have something to look at: every kind of row is there.
        for table in ("articles", "mentions", "quotes", "sentences", "entities", "ingest_log"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
        assert {r[0] for r in con.execute("SELECT DISTINCT status FROM ingest_log").fetchall()} == \
            {"loaded", "duplicate", "quarantined"}
        found = run_checks(con)
    finally:
        con.close()
    assert set(found) == set(check_files())
    assert {name: rows for name, rows in found.items() if rows} == {}


# For each check: SQL that breaks the rule once (on a copy of the seed warehouse), and a value
# the offending row it returns must contain.
OFFENCES = {
    "sentences_unique": (
        "INSERT INTO sentences SELECT * FROM sentences LIMIT 1",
        "(SELECT article_id FROM sentences LIMIT 1)"),
    "quotes_unique": (
        "INSERT INTO quotes SELECT * FROM quotes LIMIT 1",
        "(SELECT article_id FROM quotes LIMIT 1)"),
    "ingest_log_status_accepted": (
        "INSERT INTO ingest_log (file_sha256, source_path, status) VALUES ('f00', 'odd.txt', 'skipped')",
        "'odd.txt'"),
    "quotes_kind_accepted": (
        "UPDATE quotes SET kind = 'paraphrase' WHERE quote_idx = (SELECT min(quote_idx) FROM quotes) "
        "AND article_id = (SELECT min(article_id) FROM quotes)",
        "'paraphrase'"),
    "mentions_entity_exists": (
        "INSERT INTO mentions (article_id, entity_id, label) SELECT article_id, 'no-such-entity', label "
        "FROM mentions LIMIT 1",
        "'no-such-entity'"),
    "mentions_label_is_entity_label": (
        "INSERT INTO mentions (article_id, entity_id, label, start_char) "
        "SELECT article_id, entity_id, 'WRONG', 0 FROM mentions LIMIT 1",
        "'WRONG'"),
    "quotes_speaker_entity_exists": (
        "INSERT INTO quotes (article_id, quote_idx, kind, speaker_entity_id) "
        "SELECT article_id, 9999, 'direct', 'ghost-speaker' FROM quotes LIMIT 1",
        "'ghost-speaker'"),
    "child_rows_article_exists": (
        "INSERT INTO amounts (article_id, value) VALUES ('orphan-article', 3)",
        "'orphan-article'"),
    "ingest_log_article_exists": (
        "INSERT INTO ingest_log (file_sha256, source_path, status, article_id) "
        "VALUES ('f01', 'copy.txt', 'duplicate', 'missing-article')",
        "'missing-article'"),
    "articles_previous_version_exists": (
        "UPDATE articles SET previous_version = 'vanished' WHERE article_id = (SELECT min(article_id) FROM articles)",
        "'vanished'"),
    "aggregates_match_base_tables": (
        "UPDATE agg_entity SET mentions = mentions + 1 WHERE entity_id = (SELECT min(entity_id) FROM agg_entity)",
        "'agg_entity'"),
    "spans_within_body": (
        "INSERT INTO sentences (article_id, sentence_idx, start_char, end_char) "
        "SELECT article_id, 9999, 0, length(body) + 1 FROM articles LIMIT 1",
        "'sentences'"),
}


def test_every_check_has_an_offence():
    assert set(OFFENCES) == set(check_files())


@pytest.mark.parametrize("name", sorted(OFFENCES))
def test_each_check_returns_the_row_that_breaks_it(seeded, tmp_path, name):
    copy = tmp_path / "w.duckdb"
    copy_warehouse(seeded, copy)  # with its WAL
    offence, marker = OFFENCES[name]
    con = duckdb.connect(str(copy))
    try:
        expected = con.execute(f"SELECT {marker}").fetchone()[0]
        con.execute(offence)
        found = run_checks(con)
    finally:
        con.close()
    assert any(expected in row for row in found[name]), found[name]
    # Only the rule that was broken complains (a mention written by hand is also one the
    # aggregates, kept by loads, do not hold).
    also = {"aggregates_match_base_tables"} if name.startswith("mentions_") else set()
    assert {n for n, rows in found.items() if rows} == {name} | also
