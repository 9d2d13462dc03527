"""Train the sentiment classifier on NewsMTSC train.jsonl (read in place), and the threshold
and F1 routines the evaluation shares with it.

Reproducible: fixed seed, fixed hyper-parameters (chosen by 5-fold cross-validation on train,
folds grouped by article; dev/test data never used for a choice), deterministic numpy.
    presswatch train sentiment --eval-dir ../shared/eval --out presswatch/data/target_sentiment.npz
    python -m presswatch.evaluation.sentiment_training [EVAL_DIR] [OUT]
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from presswatch.evaluation.newsmtsc import Target, read_newsmtsc
from presswatch.sentiment.classifier import TargetClassifier
from presswatch.sentiment.features import featurize
from presswatch.sentiment.score import CLASSIFIER_PATH

DEFAULT_OUT = CLASSIFIER_PATH
# Chosen by grouped 5-fold CV on train (macro-F1): low learning rate + many epochs beat
# stronger L2 or a higher feature min_count.
HYPER = dict(min_count=2, l2=1e-4, epochs=30, lr=5e-4, batch=128, seed=0)
FOLDS = 5


def macro_f1(y: np.ndarray, p: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Macro-F1 in percent; ``weights`` weigh examples (class-balanced choices, below)."""
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    f = []
    for c in range(3):
        tp = float(w[(p == c) & (y == c)].sum())
        denom = float(w[p == c].sum() + w[y == c].sum())
        f.append(2 * tp / denom if denom else 0.0)
    return 100.0 * float(np.mean(f))


def balanced_weights(y: np.ndarray) -> np.ndarray:
    """1 / class frequency: every class weighs the same, whatever the training prior."""
    counts = np.bincount(y, minlength=3).astype(float)
    return (1.0 / np.maximum(counts, 1.0))[y]


def to_classes(scores: np.ndarray, thresholds: tuple[float, float]) -> np.ndarray:
    lo, hi = thresholds
    return np.where(scores < lo, 0, np.where(scores > hi, 2, 1))


def choose_thresholds(scores: np.ndarray, y: np.ndarray, balanced: bool = False) -> tuple[float, float]:
    """(neg_below, pos_above) maximizing macro-F1 of to_classes(scores) against y; with
    ``balanced``, each class weighs the same (the choice no longer follows y's prior)."""
    grid = np.round(np.arange(-0.8, 0.801, 0.025), 3)
    w = balanced_weights(y) if balanced else None
    best = max(
        (macro_f1(y, to_classes(scores, (lo, hi)), w), -abs(lo) - abs(hi), lo, hi)
        for lo in grid
        for hi in grid
        if hi >= lo
    )
    return float(best[2]), float(best[3])


def pseudo_documents(targets: list[Target], scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Document-level stand-ins from train: all targets of one entity in one article, the
    mean score against the majority label (ties -> neutral). Used to pick the thresholds
    that turn a document's mean mention score into a class (PerSenT's task)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, t in enumerate(targets):
        groups[(t.group, t.entity)].append(i)
    doc_scores, doc_labels = [], []
    for idx in groups.values():
        counts = Counter(targets[i].label for i in idx).most_common()
        label = counts[0][0] if len(counts) == 1 or counts[0][1] > counts[1][1] else 1
        doc_scores.append(float(np.mean(scores[idx])))
        doc_labels.append(label)
    return np.asarray(doc_scores), np.asarray(doc_labels)


def document_thresholds(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Thresholds on an entity's article score (the mean of its sentences' target scores).

    Chosen on NewsMTSC train targets (out-of-fold scores), class-balanced. Why targets and
    not pseudo_documents: most of NewsMTSC's (article, entity) groups hold a single target, so
    the pseudo-documents are targets with ties thrown to neutral; the mean of an article's
    sentence scores estimates the same quantity (the expected target score) with less noise.
    Why class-balanced: NewsMTSC's prior (US politics) is not the prior of the articles the
    pipeline reads, which is unknown, so every class weighs the same. Figures in
    docs/sentiment.md ("Article-level sentiment toward an entity").
    """
    return choose_thresholds(scores, y, balanced=True)


def _fold(group: str) -> int:
    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % FOLDS


def train_sentiment(eval_dir: Path, out: Path = DEFAULT_OUT) -> dict:
    """Train on <eval_dir>/newsmtsc/train.jsonl, save the classifier to ``out``, return figures."""
    t0 = time.perf_counter()
    path = Path(eval_dir) / "newsmtsc" / "train.jsonl"
    targets = read_newsmtsc(path)
    feats = featurize([(t.sentence, t.start, t.end) for t in targets])
    y = np.array([t.label for t in targets])
    folds = np.array([_fold(t.group) for t in targets])

    oof = np.zeros((len(y), 3))
    for k in range(FOLDS):
        tr, te = np.where(folds != k)[0], np.where(folds == k)[0]
        m = TargetClassifier.fit([feats[i] for i in tr], y[tr], **HYPER)
        oof[te] = m.proba([feats[i] for i in te])
    oof_score = oof[:, 2] - oof[:, 0]
    target_th = choose_thresholds(oof_score, y)
    doc_th = document_thresholds(oof_score, y)

    classifier = TargetClassifier.fit(feats, y, **HYPER)
    figures = {
        "train_targets": len(y),
        "features": len(classifier.vocab),
        "cv_macro_f1": round(macro_f1(y, oof.argmax(1)), 2),
        "cv_accuracy": round(100.0 * float((oof.argmax(1) == y).mean()), 2),
        "target_thresholds": target_th,
        "document_thresholds": doc_th,
        "train_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "hyper": HYPER,
    }
    classifier.thresholds = {"target": target_th, "document": doc_th}
    classifier.meta = {"data": "NewsMTSC train.jsonl", "figures": figures}
    out = Path(out)
    classifier.save(out)
    figures["out"] = str(out)
    figures["bytes"] = out.stat().st_size
    figures["seconds"] = round(time.perf_counter() - t0, 1)
    return figures


if __name__ == "__main__":
    ed = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/eval")
    o = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUT
    print(json.dumps(train_sentiment(ed, o), indent=2))
