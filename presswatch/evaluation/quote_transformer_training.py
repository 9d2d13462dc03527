"""Train the transformer attribution scorer (presswatch.extract.quote_transformer) on PolNeAR
train, read in place, primary annotations only. Dev and test are never read.

Train is cut by article index (the file's order): the cross-encoder and its linear partner are
fitted on articles 300-840, the blend's thresholds are chosen on 200-300 (which neither saw) by
quote_training's rules (a 60% bar for off-list candidates, DROP_PRECISION for the veto),
and 0-200 is the held-out check printed at the end (the protocol of docs/quotes.md, sessions
8-24). The labels are quote_training's: a candidate is right when its content overlaps a gold's
and its speaker is that gold's source.

    presswatch train quotes --method transformer --eval-dir ../shared/eval
    # or: python -m presswatch.evaluation.quote_transformer_training ../shared/eval OUT.npz

About 25 minutes on 2 cores (the parse of 840 articles ~95 CPU s, the fine-tuning ~12 min).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from presswatch.evaluation import quote_training as qt
from presswatch.evaluation.polnear import read_polnear, score
from presswatch.extract.attribution_scorer import pair_text
from presswatch.extract.casing import restore_case
from presswatch.extract.entities import canonicalize, find_mentions
from presswatch.extract.quote_transformer import (
    WEIGHTS_PATH, blend, build_classifier, encode, load_transformer_scorer, logits, require_torch)
from presswatch.extract.quotes import find_quotes

# The off-list bar the shipped file was fitted with (session 24; the default scorer's is quote_training's own).
TARGET_PRECISION = 0.60
# Chosen on train 0-200 held out (docs/quotes.md, session 24): the layers below `freeze` and the
# embeddings stay the packaged ones, so only the top four layers, the pooler and the head ship;
# the encoder's logit is clipped to +-`clip`, which halves its calls for the same held-out F1.
RECIPE = dict(epochs=2, freeze=2, lr=4e-5, weight_decay=0.01, batch=32, warmup=0.1, seed=0,
              fit_from=300, calibrate_from=200, clip=1.5)


def candidate_rows(data, docs) -> list[tuple[int, list[str], int, tuple[str, str]]]:
    """(article index, linear features, label, (side, content)) for every candidate and rule row."""
    rows = []
    for a, ((body, golds), doc) in enumerate(zip(data, docs)):
        for cand, label in qt.labelled(body, doc, golds):
            rows.append((a, cand.features, label, pair_text(cand.quote, body)))
    return rows


def fine_tune(rows, recipe: dict = RECIPE, log=print):
    """The cross-encoder fitted on `rows` (their pairs and labels)."""
    torch, transformers, _ = require_torch()
    random.seed(recipe["seed"])
    torch.manual_seed(recipe["seed"])
    tokenizer, model = build_classifier()
    for name, p in model.named_parameters():
        if name.startswith("bert.embeddings") or any(name.startswith(f"bert.encoder.layer.{k}.")
                                                     for k in range(recipe["freeze"])):
            p.requires_grad = False
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=recipe["lr"], weight_decay=recipe["weight_decay"])
    bs = recipe["batch"]
    steps = recipe["epochs"] * ((len(rows) + bs - 1) // bs)
    sched = transformers.get_linear_schedule_with_warmup(opt, int(steps * recipe["warmup"]), steps)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    t0, step = time.time(), 0
    model.train()
    for _ in range(recipe["epochs"]):
        order = list(range(len(rows)))
        random.shuffle(order)
        for i in range(0, len(order), bs):
            idx = order[i:i + bs]
            y = torch.tensor([float(rows[j][2]) for j in idx])
            loss = loss_fn(model(**encode(tokenizer, [rows[j][3] for j in idx])).logits.squeeze(-1), y)
            step = descend(opt, sched, loss, step)
            if step % 100 == 0:
                log(f"step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s")
    model.eval()
    return tokenizer, model


def descend(opt, sched, loss, step: int) -> int:
    """One optimizer step on `loss` and the schedule's; the step count after it."""
    loss.backward()
    opt.step()
    sched.step()
    opt.zero_grad()
    return step + 1


def train(eval_dir: Path, out: Path = WEIGHTS_PATH, nlp: Language | None = None,
          docs: list[Doc] | None = None, recipe: dict = RECIPE, log=print) -> dict:
    t0 = time.time()
    data = read_polnear(Path(eval_dir) / "polnear" / "polnear_train.jsonl")
    if docs is None:
        if nlp is None:
            from presswatch.config import Settings
            from presswatch.extract.pipeline import load_nlp

            nlp = load_nlp(Settings.load().model)
        docs = list(nlp.pipe((restore_case(text) for text, _ in data), batch_size=16))
    rows = candidate_rows(data, docs)
    fit_rows = [r for r in rows if r[0] >= recipe["fit_from"]]
    cal = [r for r in rows if recipe["calibrate_from"] <= r[0] < recipe["fit_from"]]
    # The linear partner, fitted on the same articles as the cross-encoder.
    feats, y = [r[1] for r in fit_rows], np.array([r[2] for r in fit_rows], dtype=float)
    vocab = qt._vocab(feats)
    w, b = qt.fit(feats, y, vocab, qt.HYPER["l2"], qt.HYPER["epochs"], qt.HYPER["lr"])
    tokenizer, model = fine_tune(fit_rows, recipe, log)
    # Thresholds on the calibration articles, by the linear scorer's own rules.
    z_lin = qt.logits([r[1] for r in cal], vocab, w, b)
    clip = (-float(recipe["clip"]), float(recipe["clip"]))
    p = blend(z_lin, logits(tokenizer, model, [r[3] for r in cal]), clip)
    y_cal = np.array([r[2] for r in cal], dtype=float)
    rule = np.array(["origin=rule" in r[1] for r in cal])
    threshold, precision, accepted = qt.choose_threshold(p[~rule], y_cal[~rule], TARGET_PRECISION)
    rule_threshold, dropped_precision, dropped = qt.choose_rule_threshold(p[rule], y_cal[rule])
    tensors = {name: t.detach().numpy().astype(np.float16) for name, t in model.named_parameters()
               if t.requires_grad}
    weights = {f: round(float(w[i]), 4) for f, i in vocab.items() if abs(w[i]) >= 1e-3}
    meta = {"tensors": sorted(tensors), "threshold": threshold, "rule_threshold": rule_threshold,
            "clip": clip, "recipe": recipe, "linear": {"bias": round(float(b), 4), "weights": weights},
            "trained_on": f"PolNeAR train articles {recipe['fit_from']}-{len(data)}, thresholds on "
                          f"{recipe['calibrate_from']}-{recipe['fit_from']}, primary annotations",
            "command": "presswatch train quotes --method transformer --eval-dir ../shared/eval"}
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, meta=np.array(json.dumps(meta)), **tensors)
    # The held-out check reads the file as shipped (fp16 weights, rounded linear weights).
    held = heldout(data[:recipe["calibrate_from"]], docs[:recipe["calibrate_from"]],
                   load_transformer_scorer.__wrapped__(out))
    return {"candidates": len(rows), "fitted_on": len(fit_rows), "calibration": len(cal),
            "threshold": threshold, "calibration_precision": round(100 * precision, 1),
            "accepted": accepted, "rule_threshold": rule_threshold, "dropped": dropped,
            "dropped_precision": round(100 * dropped_precision, 1), "clip": clip,
            "heldout_who_said_what": held, "seconds": round(time.time() - t0, 1), "out": str(out)}


def heldout(data, docs, scorer) -> dict:
    """Who-said-what end to end, in process, on articles no part of the scorer saw."""
    preds = [find_quotes(doc, body, canonicalize(doc, body, find_mentions(doc, body)), scorer)
             for (body, _), doc in zip(data, docs)]
    s = score(preds, [g for _, g in data], "all", [body for body, _ in data])
    return {"f1": round(100 * s["ef"], 1), "p": round(100 * s["ep"], 1), "r": round(100 * s["er"], 1)}


if __name__ == "__main__":
    eval_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/eval")
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else WEIGHTS_PATH
    print(json.dumps(train(eval_dir, target), indent=1))
