"""Search over a small real warehouse: Boolean queries (table-driven), ranking, the index's
upkeep, saved searches' hits."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from presswatch.search.parser import QuerySyntaxError
from presswatch.search.saved import parse_searches
from tests.warehouse.search_corpus import ARTICLES, build
from warehouse.db import open_db, writer
from warehouse.search import (INDEX, QueryIgnored, SearchUnavailable, refresh_index, run_saved, search)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build(tmp_path_factory.mktemp("search") / "w.duckdb")


@pytest.fixture(scope="module")
def con(warehouse):
    con = open_db(warehouse, read_only=True)
    yield con
    con.close()


# (query, the articles it must find: exactly these). The corpus is tests/warehouse/search_corpus.py.
CASES = [
    ("brown", {"a01", "a02", "a08", "a11"}),
    ("Brown", {"a01", "a02", "a08", "a11"}),  # any case
    ("elections", {"a01", "a08"}),  # stemmed: election, elections
    ("bank", {"a05", "a06", "a07"}),
    ("blair brown", {"a01", "a08"}),  # implicit AND
    ("blair AND brown", {"a01", "a08"}),
    ("chelsea OR emissions", {"a03", "a04", "a12"}),
    ("brown NOT bears", {"a01", "a02", "a08"}),
    ("brown AND NOT bears", {"a01", "a02", "a08"}),
    ("NOT brown", {"a03", "a04", "a05", "a06", "a07", "a09", "a10", "a12"}),
    ("bank NOT (river OR fishing)", {"a06", "a07"}),
    ("(chelsea OR arsenal) mourinho", {"a04"}),
    ("chelsea OR bank interest", {"a04", "a06", "a12"}),  # AND binds tighter than OR
    ("arsenal OR bank economy", {"a04", "a12"}),  # bank AND economy: none ("economists" is another stem)
    ('"brown bears"', {"a11"}),
    ('"bears brown"', set()),  # a phrase keeps its order
    ('"interest rates"', {"a06"}),
    ('"interest rate"', set()),  # a phrase is exact: not stemmed
    ('"bank of england"', {"a06"}),  # stopwords inside a phrase count
    ('"climate change" OR "smoking ban"', {"a03", "a10"}),
    ("blair NEAR/2 brown", {"a01"}),  # the title "Blair and Brown clash..."
    ("body:(blair NEAR/3 brown)", {"a01"}),  # "Tony Blair and Gordon Brown": 3 words apart
    ("body:(blair NEAR/2 brown)", set()),
    ("brown NEAR/1 bears", {"a11"}),  # neighbours, either order
    ("bears NEAR/1 brown", {"a11"}),
    ("blair NEAR brown", {"a01", "a08"}),  # NEAR alone: 10 words
    ("title:brown", {"a01", "a02", "a08", "a11"}),
    ("title:election", {"a01", "a08"}),
    ("body:election", {"a01"}),
    ("title:(arsenal OR bank)", {"a04", "a05", "a06", "a07", "a12"}),
    ('title:"river bank"', {"a05"}),
    ("source:bbc arsenal", {"a04", "a12"}),
    ("source:REUTERS", {"a03", "a06", "a11"}),
    ('entity:"Tony Blair"', {"a01", "a08"}),
    ('entity:"gordon brown" NOT entity:"tony blair"', {"a02"}),
    ("entity:arsenal OR entity:chelsea", {"a04", "a12"}),
    ("theme:economy", {"a02", "a06"}),
    ("theme:politics brown", {"a01", "a08"}),
    ("the election", {"a01", "a08"}),  # "the": a stopword, set aside
    ("e-mail", {"a07"}),  # a word with a hyphen: its parts in order
    ("U.S.", {"a07"}),
    ("3g", {"a09"}),  # digits are words
    ("cafe", {"a10"}),  # accents stripped: Café
    ("2005", set()),  # no body says 2005
    ("brown -bears", {"a11"}),  # "-" is no operator but a word break: both words must occur
]


@pytest.mark.parametrize("query,expected", CASES, ids=[q for q, _ in CASES])
def test_boolean_query_finds_exactly_the_expected_articles(con, query, expected):
    found = {h.article_id for h in search(con, query, limit=None).hits}
    assert found == expected


def test_there_are_at_least_thirty_boolean_cases():
    assert len(CASES) >= 30


def test_bm25_ranks_the_article_about_the_words_first(con):
    hits = search(con, "brown OR bears OR alps").hits
    assert hits[0].article_id == "a11"
    assert hits[0].score > hits[1].score > 0


@pytest.mark.parametrize("query", ["brown OR bears OR alps", "bank", "chelsea arsenal", "blair NEAR/10 brown"])
def test_scores_are_the_extensions_match_bm25(con, query):
    result = search(con, query, limit=None)
    macro = dict(con.execute(f"SELECT article_id, {INDEX}.match_bm25(article_id, ?) FROM articles",
                             [" ".join(result.words)]).fetchall())
    assert result.hits and all(h.score == pytest.approx(macro[h.article_id], rel=1e-12) for h in result.hits)


def test_negated_and_metadata_words_do_not_rank(con):
    result = search(con, "theme:economy NOT bears")
    assert result.words == []
    assert {h.score for h in result.hits} == {0.0}


def test_since_and_until_bound_the_day(con):
    found = {h.article_id for h in search(con, "brown", since=date(2005, 3, 10), until=date(2005, 5, 1)).hits}
    assert found == {"a02", "a08"}


def test_limit_cuts_the_ranked_list(con):
    assert len(search(con, "brown", limit=2).hits) == 2


def test_stopwords_alone_are_refused_and_set_aside_words_are_reported(con):
    with pytest.raises(QueryIgnored, match="only stopwords"):
        search(con, "the OR of")
    assert search(con, "the election").ignored == ("the",)


def test_user_text_is_bound_not_interpolated(con):
    # Quotes and SQL in values reach DuckDB as parameters: no error, no match.
    assert search(con, "source:\"x' OR 1=1 --\"", limit=None).hits == []
    assert search(con, "entity:\"'); DROP TABLE articles; --\"", limit=None).hits == []
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(ARTICLES)


def test_syntax_errors_say_where(con):
    with pytest.raises(QuerySyntaxError, match="column 7"):
        search(con, "brown (bears")


def test_no_index_is_a_clear_error(tmp_path):
    path = tmp_path / "bare.duckdb"
    with writer(path):
        pass
    con = open_db(path, read_only=True)
    try:
        with pytest.raises(SearchUnavailable, match="presswatch search --reindex"):
            search(con, "brown")
    finally:
        con.close()


def test_index_is_rebuilt_only_when_the_articles_changed(tmp_path):
    path = build(tmp_path / "w.duckdb", articles=ARTICLES[:3])
    with writer(path) as con:
        assert not refresh_index(con).built  # nothing new
        con.execute("INSERT INTO articles (article_id, title, body, ingested_at) "
                    "VALUES ('n1', 'Zebra crossing', 'A zebra crossed', ?)", [datetime(2026, 2, 1)])
        assert search(con, "zebra").hits == []  # not indexed yet
        refreshed = refresh_index(con)
        assert refreshed.built and refreshed.articles == 4
        assert [h.article_id for h in search(con, "zebra").hits] == ["n1"]
        assert con.execute(f"SELECT num_docs FROM {INDEX}.stats").fetchone()[0] == 4


INDEX_TABLES = {
    "docs": f"SELECT name, len FROM {INDEX}.docs",
    "dict": f"SELECT term, df FROM {INDEX}.dict",
    "stats": f"SELECT num_docs, round(avgdl, 9) FROM {INDEX}.stats",
    "terms": f"SELECT d.name, t.fieldid, w.term FROM {INDEX}.terms t JOIN {INDEX}.docs d ON d.docid = t.docid "
             f"JOIN {INDEX}.dict w ON w.termid = t.termid",
}


def test_articles_appended_to_the_index_make_the_index_a_rebuild_makes(tmp_path):
    appended = build(tmp_path / "a.duckdb", articles=ARTICLES[:7])
    with writer(appended) as con:
        for article_id, title, day, source, body in ARTICLES[7:]:
            con.execute("INSERT INTO articles (article_id, title, published_at, source, body, ingested_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [article_id, title, day, source, body, datetime(2026, 3, 1)])
        refreshed = refresh_index(con)
        assert (refreshed.mode, refreshed.added, refreshed.articles) == ("added", 5, 12)
        scores = search(con, "brown OR bank OR chelsea", limit=None).hits
    rebuilt = build(tmp_path / "r.duckdb")
    with writer(rebuilt) as con:
        assert refresh_index(con, force=True).mode == "rebuilt"
        assert [(h.article_id, round(h.score, 9)) for h in search(con, "brown OR bank OR chelsea", limit=None).hits] \
            == [(h.article_id, round(h.score, 9)) for h in scores]
        con.execute(f"ATTACH '{appended}' AS other (READ_ONLY)")
        for name, sql in INDEX_TABLES.items():
            theirs = sql.replace(f"{INDEX}.", f"other.{INDEX}.")
            assert con.execute(f"SELECT count(*) FROM ({sql} EXCEPT ALL {theirs})").fetchone()[0] == 0, name
            assert con.execute(f"SELECT count(*) FROM ({theirs} EXCEPT ALL {sql})").fetchone()[0] == 0, name


def test_a_removed_article_makes_a_full_rebuild(tmp_path):
    path = build(tmp_path / "w.duckdb", articles=ARTICLES[:4])
    with writer(path) as con:
        con.execute("DELETE FROM articles WHERE article_id = 'a02'")
        refreshed = refresh_index(con)
        assert (refreshed.mode, refreshed.articles) == ("rebuilt", 3)
        assert search(con, "budget").hits == []


def test_a_reader_without_the_extension_still_opens_the_warehouse(warehouse):
    # The index's macros need fts only when called: plain readers (presswatch sql) are unaffected.
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(ARTICLES)
    finally:
        con.close()


# --- saved searches -----------------------------------------------------------------------

SEARCHES = """
[[search]]
name = "labour leaders"
query = 'blair NEAR/10 brown'

[[search]]
name = "banking"
query = 'bank NOT river'
since = 2005-02-01
"""


def test_saved_searches_insert_each_hit_once_and_look_only_at_new_articles(tmp_path):
    path = build(tmp_path / "w.duckdb")
    searches = parse_searches(SEARCHES)
    with writer(path) as con:
        first = {r.name: r for r in run_saved(con, searches, "run-1")}
        assert first["labour leaders"].new_hits == 2 and first["labour leaders"].backfill
        assert first["banking"].new_hits == 1  # a06 (a07 is from January)
        again = {r.name: r for r in run_saved(con, searches, "run-2")}
        assert again["labour leaders"].new_hits == 0 and not again["labour leaders"].backfill
        con.execute("INSERT INTO articles (article_id, title, body, published_at, ingested_at) VALUES "
                    "('n1', 'Blair thanks Brown', 'Blair thanked Brown warmly.', '2005-07-01', ?)",
                    [datetime(2026, 2, 1)])
        refresh_index(con)
        third = {r.name: r for r in run_saved(con, searches, "run-3")}
        assert third["labour leaders"].new_hits == 1 and third["banking"].new_hits == 0
        rows = con.execute("SELECT search_name, article_id, flow_run_id FROM search_hits "
                           "ORDER BY 1, 2").fetchall()
    assert rows == [("banking", "a06", "run-1"), ("labour leaders", "a01", "run-1"),
                    ("labour leaders", "a08", "run-1"), ("labour leaders", "n1", "run-3")]


def test_a_changed_saved_query_looks_at_the_whole_archive_again(tmp_path):
    path = build(tmp_path / "w.duckdb")
    with writer(path) as con:
        run_saved(con, parse_searches('[[search]]\nname = "s"\nquery = "bears"\n'), "run-1")
        changed = run_saved(con, parse_searches('[[search]]\nname = "s"\nquery = "bears OR chelsea"\n'), "run-2")
        assert changed[0].backfill and changed[0].new_hits == 2  # a04, a12 new; a11 already hit
        assert con.execute("SELECT count(*) FROM search_hits").fetchone()[0] == 3
