"""Features of one (sentence, target span) pair, as sparse string features for a linear model.

The target's sentiment is carried by the words near it and in its clause, and by its role
(speaker, agent, object of criticism): so words are featurized by side and distance from the
target, by clause membership, and lexicon valence is summed per region and bucketed (buckets
let a linear model treat "slightly" and "very" negative differently).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from presswatch.sentiment.clauses import _TOKEN, clause_span, target_span, tokenize
from presswatch.sentiment.vader import lexicon

_NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without n't cannot isn't wasn't aren't "
    "weren't don't doesn't didn't won't wouldn't couldn't shouldn't hasn't haven't hadn't".split()
)
_QUOTES = frozenset("\"“”")
SPEECH_VERBS = frozenset(
    "said says say told tells added argued claimed stated wrote writes noted insisted "
    "warned explained according asked acknowledged admitted announced replied tweeted".split()
)


@lru_cache(maxsize=100_000)  # news repeats its vocabulary
def _stem(w: str) -> str:
    for suf in ("ing", "ed", "es", "s", "ly", "e"):
        if w.endswith(suf) and len(w) > len(suf) + 3:
            return w[: -len(suf)]
    return w


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    """The index of the first edge above x (len(edges) when none is)."""
    return bisect_right(edges, x)


_VAL_EDGES = (-2.5, -1.0, -0.01, 0.01, 1.0, 2.5)


def _valences(toks: list[str]) -> list[float]:
    """Lexicon valence per token, flipped (damped) when a negation is among the 3 before."""
    lex = lexicon()
    vals = []
    for i, t in enumerate(toks):
        v = lex.get(t, 0.0)
        if v and any(p in _NEGATIONS or p.endswith("n't") for p in toks[max(0, i - 3) : i]):
            v = -0.74 * v  # VADER's negation scalar
        vals.append(v)
    return vals


def target_features(text: str, start: int, end: int, toks=None, vals=None, parts=None, stems=None) -> list[str]:
    """Sparse binary features of the target text[start:end] inside sentence ``text``.

    ``toks``/``vals``/``parts``/``stems`` (tokenize(text), _valences, sentence_parts, _stem of
    each word) may be passed to share them between the targets of one sentence.
    """
    if toks is None:
        toks = tokenize(text)
    words, w_feats, bg_feats = parts if parts is not None else sentence_parts(toks)
    if vals is None:
        vals = _valences(words)
    if stems is None:
        stems = [_stem(w) for w in words]
    n = len(toks)
    span = target_span(toks, start, end)
    if span is None:
        return ["empty"]
    a, b = span

    # Whole sentence, target masked ("<t>"): the sentence's overall topic and tone. Its words
    # and bigrams, in order, from the sentence's own lists with the target's part replaced.
    f = ["bias", *w_feats[:a], "w:<t>", *w_feats[b:], *bg_feats[:max(0, a - 1)]]
    if a >= 1:
        f.append("bg:" + words[a - 1] + "_<t>")
    if b < n:
        f.append("bg:<t>_" + words[b])
    f += bg_feats[b:]

    # Words by side and distance: "X criticized" vs "criticized X".
    f += [d + words[i] for d, i in zip(_LEFT, range(a - 1, max(-1, a - 9), -1))]
    f += [d + words[i] for d, i in zip(_RIGHT, range(b, min(n, b + 8)))]
    if a > 0 and b < n:
        f.append(f"LR:{words[a - 1]}_{words[b]}")
    if b + 1 < n:
        f.append(f"R12:{words[b]}_{words[b + 1]}")
    if a >= 2:
        f.append(f"L21:{words[a - 2]}_{words[a - 1]}")

    # The target's clause.
    ca, cb = clause_span(words, a, b)
    clause = words[ca:a] + words[b:cb]
    f += ["c:" + w for w in clause]
    # Crude stems pool inflections ("criticized", "criticizes") for the sparse window words.
    f += ["cs:" + w for w in stems[ca:a] + stems[b:cb]]
    f += ["Ls:" + w for w in stems[max(0, a - 4) : a]]
    f += ["Rs:" + w for w in stems[b : b + 4]]
    if ca > 0:
        f.append("cstart:" + words[ca - 1])

    # Role cues.
    if a == 0 or (a == 1 and words[0] in _QUOTES):
        f.append("t:first")
    if b < n and words[b] in ("'s", "'"):
        f.append("t:poss")
    if a > 0 and words[a - 1] == "by":
        f.append("t:by")
    if sum(1 for w in words[:a] if w in _QUOTES) % 2 == 1:
        f.append("t:inquote")
    if not _SPEECH_VERBS.isdisjoint(words[b : b + 3]) or not _SPEECH_VERBS.isdisjoint(words[max(0, a - 2) : a]):
        f.append("t:speaker")
    if not _NEGATIONS.isdisjoint(words[ca:cb]):
        f.append("t:negclause")
    f.append("t:len" + str(min(b - a, 4)))
    f.append("t:pos" + str(_bucket(a / max(n, 1), (0.1, 0.3, 0.6))))
    f += _valence_features(vals, n, a, b, ca, cb, words)
    return f


# Window word prefixes by distance from the target (1, 2-3, 4-8 tokens), nearest first.
_LEFT = ("L1:", "L2:", "L2:", "L4:", "L4:", "L4:", "L4:", "L4:")
_RIGHT = ("R1:", "R2:", "R2:", "R4:", "R4:", "R4:", "R4:", "R4:")
_SPEECH_VERBS = SPEECH_VERBS
_REGIONS = ("sent", "clause", "left", "right", "outside")
_SIGN_EDGES = (0.01, 1.5, 3.0)
_DIST_EDGES = (-1.5, -0.5, -0.05, 0.05, 0.5, 1.5)


def _valence_features(vals: list[float], n: int, a: int, b: int, ca: int, cb: int, words: list[str]) -> list[str]:
    """Lexicon valence per region, bucketed; only the words with a valence can add to a sum.
    One pass over the scored words, in order, so every sum adds the same terms in the same order
    as one sum per region would."""
    pos = [0, 0, 0, 0, 0]  # sent, clause, left, right, outside
    neg = [0, 0, 0, 0, 0]
    wsum = 0
    near = []
    for i in range(n):
        v = vals[i]
        if not v:
            continue
        regions = [0]
        if ca <= i < a or b <= i < cb:
            regions.append(1)
        if a - 6 <= i < a:
            regions.append(2)
        if b <= i < b + 6:
            regions.append(3)
        if i < ca or i >= cb:
            regions.append(4)
        acc = pos if v > 0 else neg
        for r in regions:
            acc[r] += v
        # Distance-weighted valence: words next to the target weigh most.
        wsum += v / (1 + min(abs(i - a), abs(i - b + 1)))
        # Lexicon words near the target, by side: "attacked <t>" vs "<t> attacked".
        if a - 6 <= i < b + 6 and not a <= i < b:
            near.append(("Lx:" if i < a else "Rx:") + ("+" if v > 0 else "-"))
            near.append(("Lw:" if i < a else "Rw:") + words[i])
    f = []
    for name, p, q in zip(_REGIONS, pos, neg):
        f.append(f"v:{name}:{_bucket(p + q, _VAL_EDGES)}")
        f.append(f"vp:{name}:{_bucket(p, _SIGN_EDGES)}")
        f.append(f"vn:{name}:{_bucket(-q, _SIGN_EDGES)}")
    f.append(f"v:dist:{_bucket(wsum, _DIST_EDGES)}")
    return f + near


def sentence_parts(toks: list[tuple[str, int, int]]) -> tuple[list[str], list[str], list[str]]:
    """A sentence's words, word features and bigram features, shared by its targets."""
    words = [t[0] for t in toks]
    return words, ["w:" + w for w in words], ["bg:" + words[i] + "_" + words[i + 1] for i in range(len(words) - 1)]


def featurize(items: list[tuple[str, int, int]]) -> list[list[str]]:
    """target_features of (sentence, start, end) items, each sentence tokenized once."""
    cache: dict[str, tuple] = {}
    out = []
    for text, s, e in items:
        shared = cache.get(text)
        if shared is None:
            toks = _tokenize(text)
            parts = sentence_parts(toks)
            shared = cache[text] = (toks, _valences(parts[0]), parts, [_stem(w) for w in parts[0]])
        out.append(target_features(text, s, e, *shared))
    return out


def _tokenize(text: str) -> list[tuple[str, int, int]]:
    """clauses.tokenize, with the sentence lowercased once instead of token by token: the same
    tokens when lowercasing maps each character to one character on its own (same length, no
    capital sigma, whose lowercase depends on the next letter); else clauses.tokenize itself."""
    low = text.lower()
    if len(low) != len(text) or "Σ" in text:
        return tokenize(text)
    low = low.replace("’", "'")
    return [(low[s:e], s, e) for s, e in map(_span, _TOKEN.finditer(text))]


_span = re.Match.span
