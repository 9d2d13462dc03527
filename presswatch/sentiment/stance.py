"""Article-level stance toward an entity: a small ordinal (cumulative-logit) regression over a dozen
named evidence figures of the article (its sentences about the entity, their position, the
headline, what the entity says and what is quoted about it, the article's tone).

Why a fitted combiner rather than the mean score and thresholds: PerSenT's article labels sit
elsewhere on the sentence scale than NewsMTSC's sentence labels (docs/sentiment.md, "Known
limits"), and only article-level labels can learn where. The weights are fitted on PerSenT dev
(presswatch/evaluation/persent.py, `presswatch train stance`), 18 numbers, shipped with their
provenance in presswatch/data/article_stance.npz; numpy only at inference.

Why ordinal: the classes are ordered (negative < neutral < positive), and one evidence axis with
two cut points spends PerSenT's 58 negative articles on one direction instead of a weight row of
their own (cross-validated on PerSenT dev: docs/decisions.md, session 37). The multinomial form
(a W of three columns) stays for the transformer method, where the ordinal one did not clear the
bar set for it (presswatch/evaluation/persent.py, KIND).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from presswatch.sentiment.classifier import LABELS
from presswatch.sentiment.document import EntityItems

# The evidence figures, in the order of the weight rows (after the bias row).
FEATURES = (
    "mean_score",  # mean over the entity's sentences of P(pos) - P(neg)
    "mean_p_neg",
    "mean_p_pos",
    "max_p_neg",  # the single most negative sentence about it
    "max_p_pos",
    "share_neg",  # share of its sentences whose most probable class is negative
    "share_pos",
    "lead_score",  # its first sentence's score: the lead frames the story
    "first_position",  # where it first appears, 0 (start) .. 1 (end of the article)
    "log_sentences",  # log(1 + sentences about it): the main entity vs a passing one
    "title_score",  # its score in the headline (0 when the headline does not name it)
    "in_title",
    "said_by",  # mean VADER compound of the quotes it says (0 when none)
    "said_about",  # mean VADER compound of others' quotes that name it (0 when none)
    "sentence_vader",  # mean VADER compound of its sentences: the lexicon's view
    "doc_tone",  # the article's GDELT tone / 10: the whole story's vocabulary
)

STANCE_PATH = Path(__file__).resolve().parents[1] / "data" / "article_stance.npz"


@dataclass
class Evidence:
    """What stance_features needs of one entity in one article, beside its scored items."""

    items: EntityItems
    probs: np.ndarray  # (len(items.items), 3) [neg, neu, pos] of each item, in article order
    first_offset: float  # 0..1 position of its first reference in the body
    title_probs: np.ndarray | None  # (3,) its probabilities in the headline, None when not named
    said_by: list[float] = field(default_factory=list)  # VADER compound of its quotes
    said_about: list[float] = field(default_factory=list)  # of others' quotes naming it
    sentence_vader: list[float] = field(default_factory=list)
    doc_tone: float = 0.0


def features(ev: Evidence) -> list[float]:
    """The FEATURES vector of one (article, entity). Plain Python: an entity has a few items,
    where numpy's per-call cost (a dozen reductions) outweighed the arithmetic."""
    rows = ev.probs.tolist() if len(ev.probs) else [[0.0, 1.0, 0.0]]
    n = len(rows)
    neg = [r[0] for r in rows]
    pos = [r[2] for r in rows]
    score = [r[2] - r[0] for r in rows]
    top = [max(range(3), key=r.__getitem__) for r in rows]  # the first of equals, as argmax
    tp = ev.title_probs
    return [
        sum(score) / n, sum(neg) / n, sum(pos) / n, max(neg), max(pos),
        top.count(0) / n, top.count(2) / n, score[0], ev.first_offset,
        math.log1p(len(ev.probs)),
        0.0 if tp is None else float(tp[2] - tp[0]), float(tp is not None),
        _mean(ev.said_by), _mean(ev.said_about), _mean(ev.sentence_vader), ev.doc_tone / 10.0,
    ]


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


@dataclass
class StanceModel:
    """Standardized features -> probabilities over LABELS; argmax is the stance.

    W has the bias row first. Three columns: multinomial logits (softmax). Two columns: the
    ordinal model's cumulative logits, column k = logit P(class <= k), i.e. a threshold in row 0
    and the same negated weights below it in both columns."""

    mean: np.ndarray  # (n_features,) standardization
    scale: np.ndarray
    W: np.ndarray  # (n_features + 1, 3) multinomial or (n_features + 1, 2) ordinal
    meta: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "ordinal" if self.W.shape[1] == 2 else "multinomial"

    def proba(self, X: np.ndarray) -> np.ndarray:
        X = np.atleast_2d(X)
        Z = np.hstack([np.ones((len(X), 1)), (X - self.mean) / self.scale]) @ self.W
        if self.W.shape[1] == 2:
            c = _sigmoid(Z)  # P(negative), P(negative or neutral)
            return np.column_stack([c[:, 0], np.maximum(c[:, 1] - c[:, 0], 0.0), 1.0 - c[:, 1]])
        Z -= Z.max(1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(1, keepdims=True)

    def predict(self, X: np.ndarray) -> list[str]:
        return [LABELS[i] for i in self.proba(X).argmax(1)]

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, *, l2: float = 1.0, balanced: bool = True,
            kind: str = "ordinal", iters: int = 3000, lr: float = 0.5) -> "StanceModel":
        """Full-batch gradient descent on the L2-penalized (bias and thresholds excluded)
        cross-entropy; balanced: each class weighs the same in total, whatever its share."""
        if kind not in ("ordinal", "multinomial"):
            raise ValueError(f"unknown stance model kind {kind!r}: 'ordinal' or 'multinomial'")
        mean = X.mean(0)
        scale = X.std(0)
        scale[scale == 0] = 1.0
        A = (X - mean) / scale
        counts = np.bincount(y, minlength=3).astype(float)
        w = (len(y) / (3 * np.maximum(counts, 1)))[y] if balanced else np.ones(len(y))
        w = w / w.sum()
        fit = _fit_ordinal if kind == "ordinal" else _fit_multinomial
        return cls(mean, scale, fit(A, y, w, l2 / len(y), iters, lr))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # no overflow warning for large |z|


def _fit_multinomial(A, y, w, reg, iters, lr) -> np.ndarray:
    A = np.hstack([np.ones((len(A), 1)), A])
    Y = np.eye(3)[y]
    W = np.zeros((A.shape[1], 3))
    R = np.full((A.shape[1], 1), reg)
    R[0] = 0.0
    for _ in range(iters):
        Z = A @ W
        Z -= Z.max(1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(1, keepdims=True)
        W -= lr * (A.T @ ((P - Y) * w[:, None]) + R * W)
    return W


def _fit_ordinal(A, y, w, reg, iters, lr) -> np.ndarray:
    """P(class <= k) = sigmoid(t_k - A @ beta), t_1 = t_0 + exp(d) so the cut points stay ordered."""
    beta = np.zeros(A.shape[1])
    t0, d = -1.0, 0.7
    is0, is1, is2 = y == 0, y == 1, y == 2
    for _ in range(iters):
        eta = A @ beta
        c0, c1 = _sigmoid(t0 - eta), _sigmoid(t0 + np.exp(d) - eta)
        p1 = np.maximum(c1 - c0, 1e-12)
        # d log P(y) / d t0 and / d t1 of each article
        g0 = np.where(is0, 1.0 - c0, np.where(is1, -c0 * (1.0 - c0) / p1, 0.0))
        g1 = np.where(is1, c1 * (1.0 - c1) / p1, np.where(is2, -c1, 0.0))
        beta -= lr * (A.T @ (w * (g0 + g1)) + reg * beta)  # d log P / d eta = -(g0 + g1)
        gt0, gt1 = -(w * g0).sum(), -(w * g1).sum()
        t0 -= lr * (gt0 + gt1)
        d -= lr * gt1 * np.exp(d)
    return np.vstack([[t0, t0 + np.exp(d)], np.column_stack([-beta, -beta])])


def save_models(path: Path, models: dict[str, StanceModel]) -> None:
    """One file, one model per sentence method (their probabilities differ in scale)."""
    arrays = {"features": np.array(FEATURES)}
    for method, m in models.items():
        arrays |= {f"{method}.mean": m.mean, f"{method}.scale": m.scale, f"{method}.W": m.W,
                   f"{method}.meta": np.array(json.dumps(m.meta))}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def load_models(path: Path) -> dict[str, StanceModel]:
    with np.load(path, allow_pickle=False) as z:
        names = tuple(z["features"].tolist())
        if names != FEATURES:
            raise ValueError(f"{path}: stance model features {names} differ from the code's {FEATURES}; "
                             "retrain with `presswatch train stance`")
        methods = sorted({k.split(".")[0] for k in z.files if k.endswith(".W")})
        return {m: StanceModel(z[f"{m}.mean"], z[f"{m}.scale"], z[f"{m}.W"], json.loads(str(z[f"{m}.meta"])))
                for m in methods}


@lru_cache(maxsize=1)
def _shipped() -> dict[str, StanceModel]:
    return load_models(STANCE_PATH) if STANCE_PATH.exists() else {}


def load_stance_model(method: str) -> StanceModel | None:
    """The shipped stance model for a sentence method (presswatch/data/article_stance.npz), or
    None when there is none for it (then the stance is the mean score's class)."""
    return _shipped().get(method)


def title_span(title: str | None, names: set[str]) -> tuple[int, int] | None:
    """Where the headline names the entity: any of its surface forms, whole words, any case
    (PerSenT's headlines are upper-case)."""
    if not title or not names:
        return None
    low = title.lower()
    # Most entities are not in the headline: a substring test spares compiling a pattern each.
    alts = sorted((n for n in names if len(n) > 2 and n.lower() in low), key=len, reverse=True)
    if not alts:
        return None
    m = re.search(r"\b(?:" + "|".join(re.escape(a) for a in alts) + r")\b", title, re.IGNORECASE)
    return (m.start(), m.end()) if m else None
