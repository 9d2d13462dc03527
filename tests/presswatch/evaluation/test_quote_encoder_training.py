"""The default attribution scorer's encoder training: distilled on soft targets, exported to int8
ONNX that the torch-free runtime reads as the trained model scores, and the shipped files' provenance."""

from __future__ import annotations

import json

import numpy as np
import pytest

from presswatch.evaluation import quote_encoder_training as qet
from presswatch.extract import quote_transformer as qtf
from presswatch.extract.attribution_scorer import SCORER_PATH
from presswatch.extract.quote_encoder import QuoteEncoder

from tests.presswatch.evaluation.test_quote_transformer_training import _torch

needs_torch = pytest.mark.skipif(not _torch(), reason="torch not installed: pip install 'presswatch[transformer]'")


def test_length_batches_hold_every_item_once_in_similar_lengths():
    items = [(("x" * (i % 7), "y" * i), 0.5) for i in range(203)]
    batches = qet._length_batches(items, 8)
    assert sorted(i for b in batches for i in b) == list(range(203))
    assert all(len(b) <= 8 for b in batches)


@needs_torch
def test_distilled_encoder_follows_soft_targets_and_its_int8_graph_scores_as_it_does(tmp_path):
    items = [(("The minister said", "the plant would close in May"), 0.9),
             (("The minister wore", "a coat that the tailor had cut"), 0.1)] * 12
    recipe = {**qet.ENCODER, "layers": 1, "epochs": 3, "batch": 4, "lr": 3e-4}
    model, model_dir = qet.distil_encoder(items, [1.0] * len(items), recipe, log=lambda m: None)
    assert len(model.bert.encoder.layer) == 1
    tokenizer = qtf.build_classifier()[0]
    pairs = [items[0][0], items[1][0], ("Officials warned", "that prices would rise")]
    z_torch = qtf.logits(tokenizer, model, pairs)
    assert z_torch[0] > z_torch[1]
    path = tmp_path / "enc.onnx"
    qet.export_int8(model, model_dir, path)
    assert path.with_suffix(".tokenizer.json").is_file()
    z_onnx = QuoteEncoder(path).logits(pairs)
    assert np.allclose(z_onnx, z_torch, atol=0.15), (z_onnx, z_torch)  # int8 weights: close, not equal


def test_the_shipped_scorer_was_trained_by_the_recipe():
    meta = json.loads(SCORER_PATH.read_text())
    assert meta["encoder"]["recipe"] == qet.ENCODER and meta["encoder"]["file"] == qet.ENCODER_FILE
    assert meta["encoder"]["clip"] == [-qet.ENCODER["clip"], qet.ENCODER["clip"]]
    assert (SCORER_PATH.parent / qet.ENCODER_FILE).is_file()
    assert 0.3 <= meta["threshold"] <= 0.95 and meta["words"]
