"""The attribution scorer's training pieces (PolNeAR train, read in place, primary annotations
only; dev and test are never read). `presswatch train quotes` puts them together
(presswatch.evaluation.quote_encoder_training).

Every candidate find_quotes generates for a verb off the word lists, and every row its rules
make for a listed verb, is labelled by the rule
of ../shared/eval/README.md: positive when its content overlaps a gold attribution's content
(>= 50% of either side's tokens, in runs of >= 3) and its speaker is that gold's source.
A logistic regression (numpy, L2, full-batch Adam from zero weights: deterministic) reads each
candidate's shape and its words; rows of news without quote gold (quote_distillation) come with
a teacher's probability as a soft label, weighted DISTILL_WEIGHT. The threshold is the lowest one
whose accepted candidates reach TARGET_PRECISION on probabilities of articles the scorer did not
see; with no threshold reaching it the scorer accepts nothing (threshold > 1) and find_quotes skips
the pass. The rules' rows get `rule_threshold`: the highest below which they are right at most
DROP_PRECISION of the time.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from presswatch.evaluation.polnear import Gold, covered, speaker_right, words
from presswatch.extract.attribution_scorer import Candidate, pair_text
from presswatch.extract.casing import restore_case
from presswatch.extract.entities import canonicalize, find_mentions
from presswatch.extract.quotes import find_quotes

HYPER = dict(min_count=3, l2=1e-3, epochs=400, lr=0.05)
# Rows this precise raise who-said-what F1 (anything above F1 / 2 does) and keep the whole above
# 85 precision; 0.60 (was 0.55) with the veto's 0.25 (was 0.35) gave the same F1 at +1.3 points of
# precision on train 0-200 held out from a model fitted on 200-840 (docs/decisions.md, session 6).
# With the words and the distilled rows (session 25) 0.62 gives the same held-out F1 as 0.60 at +0.6
# points of precision (0.65: -0.1 F1, +1.3 precision): docs/quotes.md.
TARGET_PRECISION = 0.62
MIN_ACCEPTED = 30  # a threshold is judged on at least this many held-out candidates
# A rule's row right less often than this is dropped: such rows cost more precision than the
# recall they bring (docs/decisions.md).
DROP_PRECISION = 0.25
# A soft-labelled row counts this much against a gold row: 0.15 and 0.3 gave the same held-out F1,
# 0.6 less (train 0-200, docs/quotes.md session 25).
DISTILL_WEIGHT = 0.3


class Recorder:
    """Stands in for the scorer while training: accepts nothing, keeps every candidate."""

    threshold = 0.0  # find_indirect runs the candidate pass for it

    def __init__(self) -> None:
        self.seen: list[Candidate] = []

    def accepts(self, candidate: Candidate) -> bool:
        self.seen.append(candidate)
        return False

    def keeps(self, candidate: Candidate) -> bool:
        self.seen.append(candidate)  # a rule's row: recorded, kept (the rules run as they do without a veto)
        return True


def labelled(body: str, doc: Doc, golds: list[Gold]) -> list[tuple[Candidate, int]]:
    """Every candidate and rule row of the article, with its label (1: content and speaker right)."""
    mentions = canonicalize(doc, body, find_mentions(doc, body))
    rec = Recorder()
    find_quotes(doc, body, mentions, rec)
    out = []
    for cand in rec.seen:
        toks = words(cand.quote.text)
        hits = [g for g in golds if covered(g.tokens, toks) >= 0.5 or covered(toks, g.tokens) >= 0.5]
        out.append((cand, int(any(speaker_right(cand.quote, g, body) for g in hits))))
    return out


def unlabelled_rows(nlp: Language, texts: list[str]) -> list[tuple[list[str], tuple[str, str]]]:
    """(the shape features, the (side, content) pair) of every candidate and rule row of texts
    without gold: what the cross-encoder labels for the distillation."""
    rows = []
    for doc in nlp.pipe((restore_case(text) for text in texts), batch_size=16):
        body = doc.text
        rec = Recorder()
        find_quotes(doc, body, canonicalize(doc, body, find_mentions(doc, body)), rec)
        rows += [(cand.features, pair_text(cand.quote, body)) for cand in rec.seen]
    return rows


def _vocab(rows: list[list[str]]) -> dict[str, int]:
    counts = Counter(f for feats in rows for f in feats)
    return {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= HYPER["min_count"]))}


def fit(rows: list[list[str]], y: np.ndarray, vocab: dict[str, int], l2: float, epochs: int,
        lr: float, weight: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Logistic regression over one-hot string features; sparse through index arrays. y may be
    soft (a teacher's probability); weight: each row's share of the loss (default 1)."""
    r_idx = np.array([i for i, feats in enumerate(rows) for f in feats if f in vocab], dtype=np.int64)
    c_idx = np.array([vocab[f] for feats in rows for f in feats if f in vocab], dtype=np.int64)
    n, v = len(rows), len(vocab)
    weight = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    total = float(weight.sum())
    w, b = np.zeros(v), 0.0
    m, s, mb, sb = np.zeros(v), np.zeros(v), 0.0, 0.0
    for t in range(1, epochs + 1):
        z = b + np.bincount(r_idx, weights=w[c_idx], minlength=n)
        err = (1.0 / (1.0 + np.exp(-z)) - y) * weight
        gw = np.bincount(c_idx, weights=err[r_idx], minlength=v) / total + l2 * w
        gb = float(err.sum() / total)
        m, s = 0.9 * m + 0.1 * gw, 0.999 * s + 0.001 * gw * gw
        mb, sb = 0.9 * mb + 0.1 * gb, 0.999 * sb + 0.001 * gb * gb
        w -= lr * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
        b -= lr * (mb / (1 - 0.9 ** t)) / (np.sqrt(sb / (1 - 0.999 ** t)) + 1e-8)
    return w, b


def logits(rows: list[list[str]], vocab: dict[str, int], w: np.ndarray, b: float) -> np.ndarray:
    return np.array([b + sum(w[vocab[f]] for f in feats if f in vocab) for feats in rows])


def probabilities(rows: list[list[str]], vocab: dict[str, int], w: np.ndarray, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits(rows, vocab, w, b)))


def choose_rule_threshold(p: np.ndarray, y: np.ndarray, ceiling: float = DROP_PRECISION) -> tuple[float, float, int]:
    """The highest threshold below which the rules' rows are right at most `ceiling` of the
    time (0: keep every row); such rows cost more precision than the recall they bring."""
    best = (0.0, 0.0, 0)
    for t in np.round(np.arange(0.05, 0.901, 0.01), 2):
        below = p < t
        if below.sum() < MIN_ACCEPTED:
            continue
        if y[below].mean() > ceiling:
            break
        best = (float(t), float(y[below].mean()), int(below.sum()))
    return best


def choose_threshold(p: np.ndarray, y: np.ndarray, target: float = TARGET_PRECISION) -> tuple[float, float, int]:
    """The lowest threshold whose accepted candidates reach `target` precision."""
    for t in np.round(np.arange(0.30, 0.951, 0.01), 2):
        keep = p >= t
        if keep.sum() >= MIN_ACCEPTED and y[keep].mean() >= target:
            return float(t), float(y[keep].mean()), int(keep.sum())
    return 1.01, 0.0, 0  # nothing reaches the target: the scorer accepts nothing
