"""Train the default attribution scorer: the linear scorer over the candidate's shape and words,
blended with a small cross-encoder (presswatch.extract.quote_encoder). PolNeAR train is read in
place, primary annotations only; dev and test are never read. Needs the `presswatch[transformer]`
extra and `onnx` at training time only (docs/quotes.md, session 30).

The transformer method's recipe and split (quote_transformer_training): both parts are fitted on
train articles 300-840, the blend's thresholds are chosen on 200-300 (which neither saw) by
quote_training's rules, and 0-200 is the held-out check printed at the end.
- The linear part: the shape and the words, on the gold rows of 300-840 plus the unlabelled BBC
  and Reuters candidates with the transformer method's blend probability as a soft label
  (DISTILL_WEIGHT each; session 25's recipe).
- The encoder: the packaged all-MiniLM-L6-v2's first ENCODER["layers"] layers, fitted on the same
  unlabelled candidates with the transformer method's encoder probability as the target, and on
  the gold rows of 300-840; exported to ONNX and quantized to int8, and the thresholds are chosen
  with the quantized graph, as it ships.

    presswatch train quotes --eval-dir ../shared/eval
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from presswatch.evaluation import quote_training as qt
from presswatch.evaluation.polnear import read_polnear
from presswatch.evaluation.quote_transformer_training import descend, heldout
from presswatch.extract.attribution_scorer import (
    SCORER_PATH, AttributionScorer, load_scorer, pair_text, word_features)
from presswatch.extract.casing import restore_case
from presswatch.extract.quote_encoder import QuoteEncoder
from presswatch.extract.quote_transformer import blend

# Chosen on train 0-200 held out (docs/quotes.md, session 30).
ENCODER = dict(layers=2, epochs=2, lr=1e-4, batch=32, warmup=0.06, weight_decay=0.01, gold_weight=1.0,
               seed=0, clip=0.75, fit_from=300, calibrate_from=200)
ENCODER_FILE = "quote_encoder.onnx"


def train(eval_dir: Path, out: Path = SCORER_PATH, nlp: Language | None = None, docs: list[Doc] | None = None,
          unlabelled: list[tuple[list[str], tuple[str, str]]] | None = None, recipe: dict = ENCODER,
          log=print) -> dict:
    """Writes `out` (the linear part, the thresholds, the encoder's name) and the encoder beside it.
    docs: the train articles parsed (restore_case of each body); unlabelled: (shape features, pair)
    of the unlabelled candidates (quote_training.unlabelled_rows), else parsed from eval_dir's news."""
    from presswatch.evaluation.quote_distillation import teacher_logits, unlabelled_texts

    t0 = time.time()
    data = read_polnear(Path(eval_dir) / "polnear" / "polnear_train.jsonl")
    if (docs is None or unlabelled is None) and nlp is None:
        raise ValueError("quote encoder training needs a spaCy pipeline to parse the news")
    if unlabelled is None:
        unlabelled = qt.unlabelled_rows(nlp, unlabelled_texts(Path(eval_dir)))
    if docs is None:
        docs = list(nlp.pipe((restore_case(text) for text, _ in data), batch_size=16))
    gold = [(a, cand.features, word_features(pair), label, pair)
            for a, ((body, golds), doc) in enumerate(zip(data, docs)) for cand, label in qt.labelled(body, doc, golds)
            for pair in [pair_text(cand.quote, body)]]
    fit_rows = [r for r in gold if r[0] >= recipe["fit_from"]]
    cal = [r for r in gold if recipe["calibrate_from"] <= r[0] < recipe["fit_from"]]
    z_lin, z_tfm, teacher_clip = teacher_logits(unlabelled)
    log(f"teacher: {len(unlabelled)} unlabelled candidates, {time.time() - t0:.0f}s")
    # The linear part: gold rows of 300-840 and the teacher's blend on the unlabelled rows.
    rows = [r[1] + r[2] for r in fit_rows] + [feats + word_features(pair) for feats, pair in unlabelled]
    y = np.concatenate([[float(r[3]) for r in fit_rows], blend(z_lin, z_tfm, teacher_clip)])
    weight = np.concatenate([np.ones(len(fit_rows)), np.full(len(unlabelled), qt.DISTILL_WEIGHT)])
    vocab = qt._vocab(rows)
    w, b = qt.fit(rows, y, vocab, qt.HYPER["l2"], qt.HYPER["epochs"], qt.HYPER["lr"], weight)
    weights = {f: round(float(w[i]), 4) for f, i in vocab.items() if abs(w[i]) >= 1e-3}
    # The encoder: the teacher's probability on unlabelled pairs, gold labels on 300-840.
    items = [(pair, float(1.0 / (1.0 + np.exp(-z)))) for (_, pair), z in zip(unlabelled, z_tfm)]
    items_weight = [1.0] * len(items)
    items += [(r[4], float(r[3])) for r in fit_rows]
    items_weight += [recipe["gold_weight"]] * len(fit_rows)
    model, tokenizer_dir = distil_encoder(items, items_weight, recipe, log)
    encoder_path = out.parent / ENCODER_FILE
    export_int8(model, tokenizer_dir, encoder_path)
    # Thresholds with the quantized encoder, as it ships, by the linear scorer's rules.
    clip = (-float(recipe["clip"]), float(recipe["clip"]))
    linear = AttributionScorer(weights, float(b), threshold=0.0)
    z_cal_lin = np.array([linear.logit(r[1] + r[2]) for r in cal])
    p = blend(z_cal_lin, QuoteEncoder(encoder_path).logits([r[4] for r in cal]), clip)
    y_cal = np.array([r[3] for r in cal], dtype=float)
    rule = np.array(["origin=rule" in r[1] for r in cal])
    threshold, precision, accepted = qt.choose_threshold(p[~rule], y_cal[~rule])
    rule_threshold, dropped_precision, dropped = qt.choose_rule_threshold(p[rule], y_cal[rule])
    scorer_file = {
        "bias": round(float(b), 4), "threshold": threshold, "rule_threshold": rule_threshold, "words": True,
        "encoder": {"file": ENCODER_FILE, "clip": list(clip), "recipe": recipe},
        "hyper": qt.HYPER, "distill_weight": qt.DISTILL_WEIGHT, "distilled_rows": len(unlabelled),
        "trained_on": f"PolNeAR train articles {recipe['fit_from']}-{len(data)} (primary annotations) and "
                      "unlabelled BBC News and Reuters-21578 candidates labelled by "
                      f"presswatch/data/quote_transformer.npz; thresholds on {recipe['calibrate_from']}-"
                      f"{recipe['fit_from']}",
        "command": "presswatch train quotes --eval-dir ../shared/eval",
        "weights": dict(sorted(weights.items()))}
    out.write_text(json.dumps(scorer_file, indent=0) + "\n", encoding="utf-8")
    held = heldout(data[:recipe["calibrate_from"]], docs[:recipe["calibrate_from"]], load_scorer.__wrapped__(out))
    return {"candidates": len(gold), "fitted_on": len(fit_rows), "calibration": len(cal),
            "unlabelled": len(unlabelled), "threshold": threshold,
            "calibration_precision": round(100 * precision, 1), "accepted": accepted,
            "rule_threshold": rule_threshold, "dropped": dropped,
            "dropped_precision": round(100 * dropped_precision, 1), "features": len(weights),
            "heldout_who_said_what": held, "seconds": round(time.time() - t0, 1), "out": str(out),
            "encoder": str(encoder_path)}


def distil_encoder(items: list[tuple[tuple[str, str], float]], weights: list[float], recipe: dict, log=print):
    """(the fitted torch model, the packaged model's folder): the packaged encoder cut to its first
    layers, with a one-logit head, fitted by weighted cross-entropy on soft targets."""
    from presswatch.extract.quote_transformer import build_classifier, encode, require_torch

    torch, transformers, model_dir = require_torch()
    random.seed(recipe["seed"])
    torch.manual_seed(recipe["seed"])
    tokenizer, model = build_classifier()
    model.bert.encoder.layer = model.bert.encoder.layer[:recipe["layers"]]
    model.config.num_hidden_layers = recipe["layers"]
    opt = torch.optim.AdamW(model.parameters(), lr=recipe["lr"], weight_decay=recipe["weight_decay"])
    bs = recipe["batch"]
    steps = recipe["epochs"] * ((len(items) + bs - 1) // bs)
    sched = transformers.get_linear_schedule_with_warmup(opt, int(steps * recipe["warmup"]), steps)
    t0, step = time.time(), 0
    model.train()
    for _ in range(recipe["epochs"]):
        for idx in _length_batches(items, bs):
            y = torch.tensor([items[j][1] for j in idx])
            w = torch.tensor([weights[j] for j in idx])
            z = model(**encode(tokenizer, [items[j][0] for j in idx])).logits.squeeze(-1)
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="none") * w).sum() / w.sum()
            step = descend(opt, sched, loss, step)
            if step % 500 == 0:
                log(f"encoder step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s")
    model.eval()
    return model, model_dir


def _length_batches(items, bs: int) -> list[list[int]]:
    """Shuffled batches of pairs of similar length (less padding), reshuffled each epoch."""
    order = list(range(len(items)))
    random.shuffle(order)
    batches = []
    for i in range(0, len(order), bs * 50):
        chunk = sorted(order[i:i + bs * 50], key=lambda j: len(items[j][0][0]) + len(items[j][0][1]))
        batches += [chunk[k:k + bs] for k in range(0, len(chunk), bs)]
    random.shuffle(batches)
    return batches


def export_int8(model, model_dir: Path, path: Path) -> None:
    """The model as an int8 ONNX graph at `path` and its tokenizer beside it (QuoteEncoder's files)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from presswatch.extract.quote_transformer import encode, require_torch

    tokenizer_json = Path(model_dir) / "tokenizer.json"
    tokenizer = require_torch()[1].AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    sample = encode(tokenizer, [("the minister said", "it would rain")])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder.onnx"
        torch.onnx.export(model, tuple(sample[n] for n in names), str(fp32), input_names=names,
                          output_names=["logits"], dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names},
                          opset_version=17, dynamo=False)
        quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8)
    shutil.copyfile(tokenizer_json, path.with_suffix(".tokenizer.json"))
