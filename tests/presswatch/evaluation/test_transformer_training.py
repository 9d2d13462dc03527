"""The transformer training command's recipe overrides and the shipped file's provenance (no training
runs here: no torch needed)."""

import json

import numpy as np
import pytest

from presswatch.evaluation import transformer_training as tt
from presswatch.sentiment import transformer as tm


def test_overrides_are_cast_to_the_recipe_types():
    r = tt.recipe_with({"epochs": "2", "threads": "1", "lr": "5e-5"})
    assert (r["epochs"], r["threads"], r["lr"]) == (2, 1, 5e-5)
    assert r["batch"] == tt.RECIPE["batch"]  # the rest is the fixed recipe


def test_an_unknown_override_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown recipe entries \\['epoch'\\]"):
        tt.recipe_with({"epoch": "2"})


def test_main_passes_the_options_on(monkeypatch, capsys):
    seen = {}

    def fake_train(eval_dir, out, limit=None, **recipe):
        seen.update(eval_dir=str(eval_dir), out=str(out), limit=limit, recipe=recipe)
        return {"ok": 1}

    monkeypatch.setattr(tt, "train_transformer", fake_train)
    assert tt.main(["/data", "/tmp/x.npz", "--limit=500", "--epochs=3"]) == 0
    assert seen == {"eval_dir": "/data", "out": "/tmp/x.npz", "limit": 500, "recipe": {"epochs": "3"}}
    assert '"ok": 1' in capsys.readouterr().out


@pytest.mark.skipif(not tm.WEIGHTS_PATH.exists(), reason="presswatch/data/transformer_sentiment.npz not shipped")
def test_the_shipped_file_was_trained_by_the_recipe():
    with np.load(tm.WEIGHTS_PATH, allow_pickle=False) as z:  # the meta only: no torch needed
        meta = json.loads(str(z["__meta__"]))
    assert meta["figures"]["recipe"] == tt.RECIPE
    assert (meta["split"], meta["base"]) == (tt.RECIPE["split"], tt.RECIPE["base"])
    # Held-out tenth of train when it was trained: 83.29 (session 35; MiniLM's 79.08, session 13).
    assert meta["figures"]["heldout_macro_f1"] >= 81.0
    # The linear model's weight in the blend, chosen on the same tenth (session 31: 79.08 alone, 80.16 at 0.5).
    assert meta["linear_weight"] in tt.BLEND_WEIGHTS
    table = meta["figures"]["heldout_macro_f1_by_linear_weight"]
    assert table[str(meta["linear_weight"])] == max(table.values()) >= table["0.0"]


def test_the_blend_weight_is_the_best_held_out_one_and_a_tie_takes_the_smaller():
    from presswatch.evaluation.newsmtsc import Target

    # Three articles of clear words: the linear model learns from two; on the third the "network"
    # is undecided and wrong by a hair.
    texts = [("Acme wins a brilliant award", 2), ("Acme faces a disastrous fraud", 0)]
    targets = [Target(sentence=s, start=0, end=4, label=lab, group=g, entity="Acme")
               for g in ("a", "b", "c") for s, lab in texts]
    y = np.array([t.label for t in targets])
    undecided = np.array([[0.34, 0.33, 0.33], [0.33, 0.33, 0.34]])  # wrong by a hair on both
    weight, table, p = tt.linear_blend(targets, y, [0, 1, 2, 3], [4, 5], undecided)
    assert table["0.0"] < table[str(weight)]  # the linear model's vote fixes the undecided rows
    assert weight == min(w for w in tt.BLEND_WEIGHTS if table[str(w)] == table[str(weight)])
    assert p.argmax(1).tolist() == [2, 0]


@pytest.mark.skipif(not tm.MINILM_WEIGHTS_PATH.exists(), reason="transformer_sentiment_minilm.npz not shipped")
def test_the_router_network_is_minilm_trained_by_its_recipe():
    with np.load(tm.MINILM_WEIGHTS_PATH, allow_pickle=False) as z:
        meta = json.loads(str(z["__meta__"]))
    # trained before the recipe named its base (session 13): a file without `base` is MiniLM's
    assert meta.get("base", "minilm") == "minilm" and meta["split"] == 2
    assert meta["figures"]["recipe"]["threads"] == 1 and meta["figures"]["heldout_macro_f1"] >= 79.0
