"""Hostile input: every file ends `loaded` or `quarantined` with a specific reason, the run
never crashes, and the good files of the same batch load."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from presswatch.discover.folder import path_text
from tests.flows import hostile, procs

pytestmark = pytest.mark.usefixtures("prefect_server")


def _inject_faults(mp: pytest.MonkeyPatch) -> None:
    """The NLP raises on an article containing EXPLODE, the sentiment scorer on KABOOM."""
    from presswatch.sentiment import score as sentiment
    from presswatch.extract import extraction as extract

    real_doc, real_tone = extract.extract_doc, sentiment.document_tone

    def extract_doc(doc, article):
        if "EXPLODE" in article.body:
            raise RuntimeError("injected NLP fault")
        return real_doc(doc, article)

    def document_tone(body, *args, **kwargs):
        if "KABOOM" in body:
            raise RuntimeError("injected sentiment fault")
        return real_tone(body, *args, **kwargs)

    mp.setattr(extract, "extract_doc", extract_doc)
    mp.setattr(sentiment, "document_tone", document_tone)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    from flows.ingest import IngestParams, ingest

    root = tmp_path_factory.mktemp("hostile")
    outside = root / "outside"
    outside.mkdir()
    drop = root / "drop"
    expected = hostile.build(drop, outside)
    warehouse = root / "w.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        _inject_faults(mp)
        # In-process NLP (no worker pool): the injected faults must be seen by the NLP.
        first = ingest(IngestParams(drop=drop, warehouse=warehouse, batch_size=500, nlp_workers=0))
    second = ingest(IngestParams(drop=drop, warehouse=warehouse, batch_size=500, nlp_workers=0))
    return drop, warehouse, expected, first, second


def _ledger(warehouse: Path, drop: Path) -> dict[str, tuple[str, str | None]]:
    rows = procs.rows(warehouse, "SELECT source_path, status, error FROM ingest_log")
    return {os.path.relpath(p, drop): (s, e) for p, s, e in rows}


def test_every_hostile_file_ends_loaded_or_quarantined_with_its_reason(hostile_run):
    drop, warehouse, expected, first, _ = hostile_run
    ledger = _ledger(warehouse, drop)
    expected = {path_text(name): fate for name, fate in expected.items()}
    assert sorted(ledger) == sorted(expected)
    wrong = {}
    for name, (status, pattern) in expected.items():
        got_status, error = ledger[name]
        if got_status != status or (pattern is None) != (error is None) or (
                pattern and not re.search(pattern, error)):
            wrong[name] = (got_status, error)
    assert wrong == {}
    assert first.files_quarantined == sum(s == "quarantined" for s, _ in expected.values())
    assert first.files_loaded == sum(s == "loaded" for s, _ in expected.values())


def test_the_run_is_whole_and_a_rerun_adds_nothing(hostile_run):
    drop, warehouse, expected, first, second = hostile_run
    counts = procs.check_invariants(warehouse)
    assert second.files_skipped == len(expected) and second.articles_loaded == 0
    assert first.files_moving == 0 and second.files_moving == 0
    # 3 records of the JSON Lines file plus one article per other loaded file.
    loaded = sum(s == "loaded" for s, _ in expected.values())
    assert counts["articles"] == loaded + 2 == first.articles_loaded


def test_text_encodings_decode_to_the_same_words(hostile_run):
    _, warehouse, _, _, _ = hostile_run
    bodies = dict(procs.rows(warehouse, """
        SELECT regexp_extract(source_path, '[^/]+$'), body FROM articles
        WHERE source_path SIMILAR TO '.*(utf16_bom|latin1)[.]txt'"""))
    assert bodies["utf16_bom.txt"].startswith("Zürich officials in ")
    assert bodies["latin1.txt"].startswith("Zürich officials in ")


def test_undecodable_bytes_are_flagged_not_guessed_into_english(hostile_run):
    _, warehouse, _, _, _ = hostile_run
    rows = dict(procs.rows(warehouse, """
        SELECT regexp_extract(source_path, 'invalid_utf8_([a-z]+)', 1), language FROM articles
        WHERE source_path LIKE '%invalid_utf8_%'"""))
    assert rows == {"stray": "en", "garbage": "und"}
    [(body,)] = procs.rows(warehouse, "SELECT body FROM articles WHERE source_path LIKE '%stray_bytes%'")
    assert "Café officials —" in body and "evac\ufffduated" in body


def test_odd_file_names_are_stored_as_written(hostile_run):
    drop, warehouse, _, _, _ = hostile_run
    paths = {p for (p,) in procs.rows(warehouse, "SELECT source_path FROM articles")}
    for name in ("name with\nnewline.txt", "name with  spaces .txt", "ünïcödé 新闻 📰.txt",
                 "-leading-dash.txt", "--rf.txt", "looks_like_an_article.txt/inside.txt"):
        assert str(drop / name) in paths, name
    # A name that is not UTF-8 is stored with its odd bytes escaped, and is found again on rerun.
    assert any(p.endswith("not-utf8-\\xff\\xfe.txt") for p in paths)


def test_non_english_articles_are_flagged_and_not_read_as_english(hostile_run):
    _, warehouse, _, _, _ = hostile_run
    rows = procs.rows(warehouse, """
        SELECT regexp_extract(source_path, 'non_english_(..)', 1), language,
               (SELECT count(*) FROM mentions m WHERE m.article_id = a.article_id),
               (SELECT count(*) FROM quotes q WHERE q.article_id = a.article_id)
        FROM articles a WHERE source_path LIKE '%non_english_%' ORDER BY 1""")
    assert rows == [(code, code, 0, 0) for code in sorted(hostile.NON_ENGLISH)]


def test_a_fifty_thousand_word_article_is_processed_whole(hostile_run):
    _, warehouse, _, _, _ = hostile_run
    [(aid, body)] = procs.rows(warehouse, """
        SELECT article_id, body FROM articles WHERE source_path LIKE '%fifty_thousand%'""")
    assert len(body.split()) >= 50_000
    chars = len(body)
    [(sentences, last_end, mentions)] = procs.rows(warehouse, """
        SELECT count(*), max(end_char), (SELECT count(*) FROM mentions WHERE article_id = ?)
        FROM sentences WHERE article_id = ?""", aid, aid)
    assert sentences > 2000 and mentions > 2000
    assert chars - 100 < last_end <= chars  # the NLP read to the end


def test_the_jsonl_good_lines_load_and_the_bad_one_is_noted(hostile_run):
    _, warehouse, _, _, _ = hostile_run
    [(count, error)] = procs.rows(warehouse, """
        SELECT article_count, error FROM ingest_log WHERE source_path LIKE '%one_bad_line.jsonl'""")
    assert count == 3 and error.startswith("line 2: invalid JSON")
    assert procs.rows(warehouse, "SELECT count(*) FROM articles WHERE source_path LIKE '%one_bad_line.jsonl'") == [(3,)]


@pytest.mark.slow
def test_ten_thousand_tiny_files(tmp_path):
    from flows.ingest import IngestParams, ingest

    drop = tmp_path / "drop"
    for d in range(10):
        sub = drop / f"d{d}"
        sub.mkdir(parents=True)
        for i in range(1000):
            n = d * 1000 + i
            (sub / f"{n:05d}.txt").write_text(f"Brief {n}: the council met on Tuesday and approved item {n}.\n")
    warehouse = tmp_path / "w.duckdb"
    summary = ingest(IngestParams(drop=drop, warehouse=warehouse))
    assert (summary.files_seen, summary.files_loaded, summary.articles_loaded) == (10_000, 10_000, 10_000)
    counts = procs.check_invariants(warehouse)
    assert counts["articles"] == counts["ingest_log"] == 10_000
