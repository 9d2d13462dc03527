"""Cross-document entity resolution on AIDA CoNLL-YAGO (presswatch/evaluation/aida.py): the
B-cubed scorer on a hand-made case, and the real pipeline on the dev split (quality)."""

from __future__ import annotations

import polars as pl
import pytest

from presswatch.evaluation.aida import evaluate, score, score_stored


def _docs_and_mentions():
    docs = [
        {"text": "Bush met Blair.", "mentions": [
            {"start": 0, "end": 4, "wiki": "George_W._Bush"}, {"start": 9, "end": 14, "wiki": "Tony_Blair"}]},
        {"text": "George W Bush spoke. Nobody else.", "mentions": [
            {"start": 0, "end": 13, "wiki": "George_W._Bush"}, {"start": 21, "end": 27, "wiki": "Nobody_(x)"},
            {"start": 28, "end": 32, "wiki": None}]},
    ]
    mentions = pl.DataFrame({"doc": [0, 0, 1], "start_char": [0, 9, 0], "end_char": [4, 14, 13],
                             "cluster": ["bush", "blair", "gwb"]})
    return docs, mentions


def test_bcubed_counts_a_split_entity_and_a_missed_mention():
    docs, mentions = _docs_and_mentions()
    s = score(docs, mentions)
    assert s["gold_mentions"] == 4  # the unlinked mention is not scored
    assert s["found"] == pytest.approx(75.0)  # Nobody_(x) was not found: a singleton
    assert s["all_p"] == pytest.approx(1.0)
    assert s["all_r"] == pytest.approx((0.5 + 0.5 + 1 + 1) / 4)
    assert s["pages"] == 1 and s["ids_per_entity"] == pytest.approx(2.0)  # Bush: in 2 docs, 2 ids
    merged = score(docs, mentions.with_columns(cluster=pl.col("cluster").replace("gwb", "bush")))
    assert merged["cross_f1"] == pytest.approx(1.0) and merged["ids_per_entity"] == pytest.approx(1.0)


def test_a_warehouse_scoring_equals_the_in_process_one_on_the_same_spans():
    docs, mentions = _docs_and_mentions()
    stored = {0: docs[0]["text"].replace(" ", "\n"), 1: docs[1]["text"]}
    assert score_stored(docs, stored, mentions) == score(docs, mentions)


@pytest.fixture(scope="module")
def dev_rows(eval_data, nlp):
    return {(r["task"], r["metric"]): r["value"] for r in evaluate(nlp, eval_data / "aida" / "aida_testa.jsonl")}


@pytest.mark.quality
def test_resolution_on_aida_dev(dev_rows):
    rows = dev_rows
    raw, resolved, linked = "entities_aida_testa_raw_ids", "entities_aida_testa", "entities_aida_testa_with_links"
    # Measured 2026-12-01 (docs/entities.md) with that day's NER: raw ids 73.0, canonical 81.1 (P 90.8,
    # 1.65 ids), with links 86.6; with the NER of that morning (found rate 88.7%): 78.1 (P 91.3,
    # 1.98 ids), with links 84.3. The thresholds hold for both, with a margin. 2026-12-02: with
    # links (the official figure) 87.1, P 90.1, 1.54 ids; canonical 81.1 (P 90.7).
    # 2026-12-02, session 6 (demonyms never voted ORG, club nicknames, introduced acronyms, teams):
    # with links 87.8 (P 91.2, 1.53 ids), canonical 81.8 (P 91.7, 1.63 ids), found 94.9.
    # Session 7 (datelines and tables the model dated, SEATTLE the club, `European` -> Europe): with
    # links 88.5 (P 91.0, 1.48 ids), canonical 82.5 (P 91.6, 1.59 ids), found 95.4.
    # Session 8 (a country's side apart from the country, rare acronyms): with links 88.8 (P 93.3,
    # 1.49 ids), canonical 82.7 (P 93.5, 1.60 ids), found 95.7.
    assert rows[(resolved, "cross_doc_bcubed_f1")] >= 81.5
    assert rows[(resolved, "cross_doc_bcubed_f1")] >= rows[(raw, "cross_doc_bcubed_f1")] + 5
    assert rows[(resolved, "cross_doc_bcubed_precision")] >= 90.5
    assert rows[(linked, "cross_doc_bcubed_f1")] >= 87.8
    assert rows[(linked, "cross_doc_bcubed_precision")] >= 90.3
    assert rows[(resolved, "ids_per_entity")] <= 1.62
    assert rows[(linked, "ids_per_entity")] <= 1.50
    assert rows[(resolved, "found_rate")] >= 94.8


@pytest.mark.quality
@pytest.mark.xfail(strict=True, reason="issue 13 goal: <= 1.2 ids per real-world entity on AIDA dev (1.48)")
def test_one_id_per_real_world_entity_on_aida_dev(dev_rows):
    assert dev_rows[("entities_aida_testa_with_links", "ids_per_entity")] <= 1.2
