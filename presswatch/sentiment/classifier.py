"""The sentiment classifier: sentiment toward a target in its sentence, by a multinomial logistic
regression over sparse string features (features.py), in numpy alone.

Why not scikit-learn: inference is a dictionary lookup and three bincounts, and the training
set is small, so a short model keeps the pipeline free of a heavy dependency.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

from presswatch.sentiment.features import Featurizer

# The classes, in the order of the weight columns and of the probabilities.
LABELS = ("negative", "neutral", "positive")
# The shipped classifier (the default "model" method; the transformer method blends it in).
SHIPPED_PATH = Path(__file__).resolve().parents[1] / "data" / "target_sentiment.npz"


def _sparse(feats: list[list[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(row ids, feature ids) of the known features of each example, in feature order."""
    lookup = vocab.get
    return _known([[lookup(f, -1) for f in fs] for fs in feats])


def _known(ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(row ids, feature ids) of the ids >= 0 of each example, in order (-1: not in the vocabulary).

    One flat array and numpy masks instead of a Python append per feature: this runs for
    every mention of every article."""
    lengths = [len(r) for r in ids]
    cols = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=sum(lengths))
    rows = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
    known = cols >= 0
    return rows[known], cols[known]


@dataclass
class TargetClassifier:
    """Weights over the feature vocabulary; saved as presswatch/data/target_sentiment.npz."""

    vocab: dict[str, int]
    W: np.ndarray  # (n_features, 3)
    # Cut points on score = P(pos) - P(neg) for a 3-way label from a continuous score, chosen
    # on training data: (neg_below, pos_above) for targets, and for whole documents.
    thresholds: dict[str, tuple[float, float]] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    # The features as ids in vocab, built on first use (its memo of words lives with the model).
    _ids: Featurizer | None = field(default=None, init=False, repr=False, compare=False)

    # ---- inference -------------------------------------------------------------------
    def logits(self, feats: list[list[str]]) -> np.ndarray:
        return self._logits(*_sparse(feats, self.vocab), len(feats))

    def _logits(self, rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
        out = np.empty((n, 3))
        for c in range(3):
            out[:, c] = np.bincount(rows, weights=self.W[cols, c], minlength=n)
        return out

    def proba(self, feats: list[list[str]]) -> np.ndarray:
        return _softmax(self.logits(feats))

    def score_targets(self, items: list[tuple[str, int, int]]) -> np.ndarray:
        """Probabilities (n, 3) [neg, neu, pos] for (sentence, start, end) items; tokenizes
        each distinct sentence once. The same as proba(featurize(items)), from feature ids."""
        if not items:
            return np.zeros((0, 3))
        if self._ids is None:
            self._ids = Featurizer(self.vocab)
        return _softmax(self._logits(*_known(self._ids.featurize(items)), len(items)))

    # ---- training --------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        feats: list[list[str]],
        y: np.ndarray,
        *,
        min_count: int = 2,
        l2: float = 1e-4,
        epochs: int = 30,
        lr: float = 0.05,
        batch: int = 128,
        seed: int = 0,
    ) -> "TargetClassifier":
        counts: dict[str, int] = {}
        for fs in feats:
            for f in set(fs):
                counts[f] = counts.get(f, 0) + 1
        vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
        rng = np.random.default_rng(seed)
        W = np.zeros((len(vocab), 3))
        m, v = np.zeros_like(W), np.zeros_like(W)
        model = cls(vocab, W)
        enc = [_sparse([fs], vocab)[1] for fs in feats]
        t = 0
        for _ in range(epochs):
            order = rng.permutation(len(feats))
            for k in range(0, len(order), batch):
                idx = order[k : k + batch]
                cols = np.concatenate([enc[i] for i in idx])
                rows = np.repeat(np.arange(len(idx)), [len(enc[i]) for i in idx])
                z = np.stack(
                    [np.bincount(rows, weights=W[cols, c], minlength=len(idx)) for c in range(3)], 1
                )
                z -= z.max(1, keepdims=True)
                p = np.exp(z)
                p /= p.sum(1, keepdims=True)
                p[np.arange(len(idx)), y[idx]] -= 1.0
                g = np.zeros_like(W)
                for c in range(3):
                    g[:, c] = np.bincount(cols, weights=p[rows, c], minlength=len(vocab))
                g /= len(idx)
                touched = np.unique(cols)
                g[touched] += l2 * W[touched]  # lazy L2 on the features in the batch
                t += 1
                # Adam, sparse: only touched rows move.
                m[touched] = 0.9 * m[touched] + 0.1 * g[touched]
                v[touched] = 0.999 * v[touched] + 0.001 * g[touched] ** 2
                mh = m[touched] / (1 - 0.9**t)
                vh = v[touched] / (1 - 0.999**t)
                W[touched] -= lr * mh / (np.sqrt(vh) + 1e-8)
        return model

    # ---- persistence -----------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        names = np.array(sorted(self.vocab, key=self.vocab.get))
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                names=names,
                W=self.W.astype(np.float32),
                meta=np.array(json.dumps({"thresholds": self.thresholds, **self.meta})),
            )

    @classmethod
    def load(cls, path: Path) -> "TargetClassifier":
        with np.load(path, allow_pickle=False) as z:
            names = z["names"].tolist()
            meta = json.loads(str(z["meta"]))
            W = z["W"].astype(np.float64)
        th = {k: tuple(v) for k, v in meta.pop("thresholds", {}).items()}
        return cls({n: i for i, n in enumerate(names)}, W, th, meta)


@lru_cache(maxsize=4)
def load_file(path: Path) -> TargetClassifier:
    """One TargetClassifier per file and process: the default method and the transformer method's
    blend share the shipped one."""
    return TargetClassifier.load(path)


def _softmax(z: np.ndarray) -> np.ndarray:
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
