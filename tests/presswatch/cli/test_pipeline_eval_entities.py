"""End-to-end entity evaluation: AIDA dev through a real `presswatch run` (its end re-resolves the
archive, as a first load does), scored from the warehouse (presswatch/cli/pipeline_eval.py)."""

import pytest

from presswatch.cli.pipeline_eval import aida_end_to_end

LINKED = "entities_aida_testa_with_links (end-to-end)"
CANONICAL = "entities_aida_testa (end-to-end)"
RAW = "entities_aida_testa_raw_ids (end-to-end)"


@pytest.fixture(scope="module")
def figures(eval_data, tmp_path_factory):
    rows = aida_end_to_end(eval_data / "aida" / "aida_testa.jsonl", workdir=tmp_path_factory.mktemp("aida"))
    return {(r["task"], r["metric"]): r["value"] for r in rows}


@pytest.mark.slow
@pytest.mark.quality
def test_the_warehouse_resolves_aida_dev_across_documents(figures):
    # Measured 2026-12-02 (docs/entities.md, "End to end"): with links 83.8 (P 91.0, 1.85 ids),
    # canonical 77.3 against raw ids 72.6, found 90.7 (the plain-text reader rejoins the lines of
    # results tables; with each line kept, in process: 88.0 and found 94.8).
    # Session 7 (datelines the model dated, SEATTLE the club, `European` -> Europe): with links
    # 87.1 (P 90.0, R 84.3, 1.55 ids), canonical 80.8 against raw ids 75.5, found 95.0.
    # Session 26 (the reader keeps standings rows apart): 88.6 (P 93.3, R 84.4, 1.51 ids), found 95.3.
    assert figures[(LINKED, "cross_doc_bcubed_f1")] >= 88.0
    assert figures[(LINKED, "cross_doc_bcubed_precision")] >= 92.5
    assert figures[(CANONICAL, "cross_doc_bcubed_f1")] >= figures[(RAW, "cross_doc_bcubed_f1")] + 4
    assert figures[(LINKED, "found_rate")] >= 94.8  # 95.0


@pytest.mark.slow
@pytest.mark.quality
@pytest.mark.xfail(strict=True, reason="issue 13 goal: ids per real-world entity <= 1.2 end to end (not reached)")
def test_one_id_per_real_world_entity_end_to_end(figures):
    assert figures[(LINKED, "ids_per_entity")] <= 1.2
