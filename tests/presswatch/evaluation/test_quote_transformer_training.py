"""The transformer attribution scorer's training: the rows it learns from, the layers it tunes, and
the shipped file's provenance."""

from __future__ import annotations

import json

import numpy as np
import pytest

from presswatch.evaluation import quote_transformer_training as qtt
from presswatch.extract import quote_transformer as qtf
from presswatch.sentiment import transformer as tm

from tests.presswatch.evaluation.test_quote_training import INVENTED, _attribution


def _torch() -> bool:
    try:
        qtf.require_torch()
    except tm.MissingTransformerExtra:
        return False
    return True


def test_rows_carry_the_linear_features_the_label_and_the_pair(nlp, tmp_path):
    from presswatch.evaluation.polnear import read_polnear
    from presswatch.extract.casing import restore_case

    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(json.dumps({"text": text, "primary_annotation": True,
                                          "attributions": [_attribution(text, *a) for a in attrs]})
                              for text, attrs in INVENTED) + "\n")
    data = read_polnear(path)
    rows = qtt.candidate_rows(data, [nlp(restore_case(text)) for text, _ in data])
    said = [r for r in rows if r[3][1] == "the bridge would cost twice the first estimate"]
    assert said and said[0][0] == 0 and said[0][2] == 1  # article 0, right (content and speaker)
    assert said[0][3][0].endswith("said") and "Maria Olsen" in said[0][3][0]
    assert any("origin=rule" in f for f in said[0][1])


@pytest.mark.skipif(not _torch(), reason="torch not installed: pip install 'presswatch[transformer]'")
def test_fine_tune_trains_only_the_top_layers_and_learns():
    rows = [(0, [], 1, ("The minister said", "the plant would close in May")),
            (0, [], 0, ("The minister wore", "a coat that the tailor had cut"))] * 8
    recipe = {**qtt.RECIPE, "epochs": 3, "batch": 4, "lr": 2e-4}
    tokenizer, model = qtt.fine_tune(rows, recipe, log=lambda m: None)
    tuned = {n for n, p in model.named_parameters() if p.requires_grad}
    assert tuned and not any(n.startswith(("bert.embeddings", "bert.encoder.layer.0.", "bert.encoder.layer.1."))
                             for n in tuned)
    z = qtf.logits(tokenizer, model, [rows[0][3], rows[1][3]])
    assert z[0] > z[1]


@pytest.mark.skipif(not qtf.WEIGHTS_PATH.exists(), reason="presswatch/data/quote_transformer.npz not shipped")
def test_the_shipped_file_was_trained_by_the_recipe():
    with np.load(qtf.WEIGHTS_PATH, allow_pickle=False) as z:  # the meta only: no torch needed
        meta = json.loads(str(z["meta"]))
        names = set(z.files) - {"meta"}
    assert meta["recipe"] == qtt.RECIPE
    assert names == set(meta["tensors"])
    assert all(n.startswith(("bert.encoder.layer.", "bert.pooler.", "classifier.")) for n in names)
    assert not any(n.startswith(("bert.encoder.layer.0.", "bert.encoder.layer.1.")) for n in names)
    assert 0.0 < meta["threshold"] <= 1.0 and meta["clip"][0] < 0 < meta["clip"][1]
