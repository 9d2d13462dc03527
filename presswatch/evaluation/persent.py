"""The article-level stance model on PerSenT dev: its evidence through the production path,
cross-validated figures, and the training command (`presswatch train stance`).

PerSenT dev (578 articles) holds the only article-level labels we may fit on (the shared eval
README); its test splits are measured elsewhere. Every figure here is out-of-fold: 5 folds,
stratified by label, averaged over FOLD_SEEDS fold draws; the shipped model is then fitted on
all of dev.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from presswatch.config import default
from presswatch.evaluation.newsmtsc import read_persent
from presswatch.evaluation.sentiment_training import macro_f1
from presswatch.extract.extraction import extract_articles
from presswatch.extract.pipeline import load_nlp
from presswatch.records import Article
from presswatch.sentiment.classifier import LABELS
from presswatch.sentiment.document import EntityItems
from presswatch.sentiment.evidence import collect
from presswatch.sentiment.score import (METHODS, OPTIONAL_METHODS, document_tone, sentence_scores, target_probs,
                                        target_scorer)
from presswatch.sentiment.stance import STANCE_PATH, Evidence, StanceModel, features, save_models

TARGET = ("<target>", "")
FOLDS = 5
# Fixed, not searched: a dozen standardized features need little shrinkage; balanced classes
# because PerSenT dev is 10% negative and the goal is every class >= 40 F1.
FIT = {"l2": 1.0, "balanced": True}
# Ten fold draws, not one: on 578 articles (58 negative) one draw's macro-F1 moves by a point
# either way (the transformer's 48.8 at seed 0 is 47.5 over ten); the mean is the figure.
FOLD_SEEDS = tuple(range(10))
# The model's form per sentence method (session 37, bar set before measuring: ordinal where its
# CV macro-F1 beat the multinomial's by >= 1.0 with no class lower: model +3.1, lexicon +1.2; the
# transformer's +0.6 fell short, so it keeps the multinomial). docs/decisions.md, session 37.
KIND = {"model": "ordinal", "lexicon": "ordinal", "transformer": "multinomial"}


def fit_settings(method: str) -> dict:
    """The stance model's fixed settings for a sentence method (a new method starts ordinal)."""
    return {**FIT, "kind": KIND.get(method, "ordinal")}


def is_target(name: str, target: str) -> bool:
    """The extracted entity is PerSenT's target when its canonical name is the target's, or
    shares a name part of 3+ letters with it ("Mickelson" for "Phil Mickelson")."""
    if name == target:
        return True
    parts = {p for p in target.split() if len(p) > 2}
    return bool(parts & set(name.split()))


@lru_cache(maxsize=2)
def persent_extractions(eval_dir: Path, model: str = default("model")):
    """(documents, extractions): PerSenT dev through the production NLP stage (spaCy + the
    presswatch entity/sentence steps), once per process: it is the slow part."""
    docs = read_persent(Path(eval_dir) / "persent" / "dev.csv")
    nlp = load_nlp(model)
    return docs, extract_articles(nlp, [Article(title=None, body=d.text) for d in docs])


def persent_matrix(eval_dir: Path, method: str = "model", model: str = default("model")):
    """(X, y, used): the FEATURES of each dev article's target, by the production evidence
    function with every mention of the target merged into one entity."""
    used, _, _ = target_scorer(method)
    docs, exs = persent_extractions(Path(eval_dir), model)
    rows = []
    for d, ex in zip(docs, exs):
        target = d.target.strip()
        exact = target in {m.canonical or m.surface for m in ex.mentions}

        def key_of(m, target=target, exact=exact):
            name = m.canonical or m.surface
            hit = name == target if exact else is_target(name, target)
            return TARGET if hit else (name, m.entity_label or m.label)

        art = Article(title=d.title, body=d.text)
        tone = document_tone(d.text).tone
        ev = collect(art, ex, target_probs(used), sentence_scores, tone, key_of=key_of,
                     is_person=lambda m, k=key_of: k(m) == TARGET or (m.entity_label or m.label) == "PERSON")
        rows.append(features(ev[TARGET]) if TARGET in ev else _absent(tone))
    return np.array(rows), np.array([d.label for d in docs]), used


def _absent(tone: float) -> list[float]:
    """The target never named (NER missed it): no sentence evidence, only the article's tone."""
    return features(Evidence(items=EntityItems(TARGET), probs=np.zeros((0, 3)), first_offset=1.0,
                             title_probs=None, doc_tone=tone))


def folds(y: np.ndarray, k: int = FOLDS, seed: int = 0) -> np.ndarray:
    """Fold id of each example, stratified by label."""
    rng = np.random.default_rng(seed)
    out = np.empty(len(y), dtype=int)
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        out[idx] = np.arange(len(idx)) % k
    return out


def cross_validate(X: np.ndarray, y: np.ndarray, seeds: tuple[int, ...] = FOLD_SEEDS, **fit) -> dict:
    """Out-of-fold figures, each the mean over the fold draws of `seeds`: macro-F1 (with its
    standard deviation across draws and each draw's value), accuracy, F1 per class; `pred` are
    the out-of-fold predictions of the first draw. `fit` overrides FIT (e.g. kind=)."""
    fit = {**FIT, **fit}
    draws = []
    for seed in seeds:
        f = folds(y, seed=seed)
        pred = np.empty(len(y), dtype=int)
        for k in range(FOLDS):
            tr, te = f != k, f == k
            pred[te] = StanceModel.fit(X[tr], y[tr], **fit).proba(X[te]).argmax(1)
        draws.append((macro_f1(y, pred), 100.0 * float((pred == y).mean()), [_f1(y, pred, c) for c in range(3)], pred))
    macro = [d[0] for d in draws]
    per_class = {LABELS[c]: round(float(np.mean([d[2][c] for d in draws])), 1) for c in range(3)}
    return {"macro_f1": round(float(np.mean(macro)), 1), "macro_f1_sd": round(float(np.std(macro)), 2),
            "macro_f1_by_seed": [round(m, 1) for m in macro], "fold_seeds": list(seeds),
            "accuracy": round(float(np.mean([d[1] for d in draws])), 1), "f1": per_class, "pred": draws[0][3]}


def _f1(y: np.ndarray, pred: np.ndarray, c: int) -> float:
    tp = float(((pred == c) & (y == c)).sum())
    denom = float((pred == c).sum() + (y == c).sum())
    return 200.0 * tp / denom if denom else 0.0


def train_stance(eval_dir: Path, out: Path = STANCE_PATH, model: str = default("model")) -> dict:
    """Fit one stance model per sentence method on all of PerSenT dev; write them with their
    provenance (data hash, cross-validated figures, settings); return the figures."""
    path = Path(eval_dir) / "persent" / "dev.csv"
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    models, figures = {}, {}
    for method in (*METHODS, *OPTIONAL_METHODS):
        try:
            X, y, used = persent_matrix(eval_dir, method, model)
        except (ImportError, FileNotFoundError) as exc:  # an optional method not installed/trained
            figures[method] = f"skipped: {exc}"
            continue
        if used != method:  # no classifier shipped: nothing to fit for "model"
            continue
        fit = fit_settings(method)
        cv = cross_validate(X, y, **fit)
        cv.pop("pred")
        m = StanceModel.fit(X, y, **fit)
        m.meta = {"data": "PerSenT dev.csv", "sha256": sha, "articles": int(len(y)), "folds": FOLDS,
                  "fit": fit, "cv": cv, "spacy_model": model, "sentence_method": method}
        models[method] = m
        figures[method] = cv
    save_models(out, models)
    return figures


def eval_persent_stance(eval_dir: Path, method: str, model: str = default("model")) -> list[dict]:
    """Rows for `presswatch eval sentiment`: the stance model, cross-validated on PerSenT dev."""
    X, y, used = persent_matrix(eval_dir, method, model)
    fit = fit_settings(used)
    cv = cross_validate(X, y, **fit)
    task = (f"persent dev, {fit['kind']} stance model, {FOLDS}-fold CV, mean of {len(FOLD_SEEDS)} "
            f"fold draws ({used})")
    n = len(y)
    rows = [{"task": task, "metric": "macro_f1", "value": cv["macro_f1"], "n": n},
            {"task": task, "metric": "macro_f1_sd", "value": cv["macro_f1_sd"], "n": n},
            {"task": task, "metric": "accuracy", "value": cv["accuracy"], "n": n}]
    rows += [{"task": task, "metric": f"f1_{c}", "value": v, "n": int((y == LABELS.index(c)).sum())}
             for c, v in cv["f1"].items()]
    return rows
