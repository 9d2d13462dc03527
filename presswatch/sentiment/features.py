"""Features of one (sentence, target span) pair, as sparse string features for a linear model.

The target's sentiment is carried by the words near it and in its clause, and by its role
(speaker, agent, object of criticism): so words are featurized by side and distance from the
target, by clause membership, and lexicon valence is summed per region and bucketed (buckets
let a linear model treat "slightly" and "very" negative differently).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
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


# Bucket edges: a value's bucket is the index of the first edge above it, bisect_right(edges, x).
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


def target_features(text: str, start: int, end: int) -> list[str]:
    """Sparse binary features of the target text[start:end] inside sentence ``text``."""
    return _STRINGS.target(_STRINGS.sentence(text), start, end)


def featurize(items: list[tuple[str, int, int]]) -> list[list[str]]:
    """target_features of (sentence, start, end) items, each sentence tokenized once."""
    return _STRINGS.featurize(items)


_SPEECH_VERBS = SPEECH_VERBS
_REGIONS = ("sent", "clause", "left", "right", "outside")
_POS_EDGES = (0.1, 0.3, 0.6)
_SIGN_EDGES = (0.01, 1.5, 3.0)
_DIST_EDGES = (-1.5, -0.5, -0.05, 0.05, 0.5, 1.5)
# The columns of _Sentence.cols: a word's features by these prefixes, its two target bigrams
# ("bg:<word>_<t>", "bg:<t>_<word>"), then its stem's features.
_WORD_PREFIXES = ("w:", "c:", "L1:", "L2:", "L4:", "R1:", "R2:", "R4:", "Lw:", "Rw:", "cstart:")
_STEM_PREFIXES = ("cs:", "Ls:", "Rs:")
_BG_LEFT, _BG_RIGHT, _LW, _RW, _CSTART = 11, 12, 8, 9, 10  # columns used one word at a time
# Words remembered per Featurizer before its memo starts over (news vocabulary, a bounded heap).
_MEMO_MAX = 200_000


class _Sentence:
    """What every target of one sentence shares: its tokens, its words' features by column
    (see _WORD_PREFIXES), its bigram features, its scored words."""

    __slots__ = ("words", "starts", "ends", "n", "per_word", "cols", "bigrams", "scored", "quotes")

    def __init__(self, words, starts, ends, per_word, bigrams, scored, quotes) -> None:
        self.words, self.starts, self.ends, self.n = words, starts, ends, len(words)
        self.per_word = per_word  # one tuple of features per word
        self.cols = tuple(zip(*per_word)) if per_word else ((),) * (len(_WORD_PREFIXES) + 5)
        self.bigrams = bigrams
        self.scored = scored  # (index, valence) of the words with a valence, in order
        self.quotes = quotes  # indices of the quote marks


class Featurizer:
    """target_features, each feature named by its id in ``vocab`` (-1 outside it), or by itself
    without a vocab. What depends on one word alone is named once per word and kept, what
    depends on the sentence alone once per sentence: a target costs list slices and a few
    look-ups. The features and their order are those of target_features."""

    def __init__(self, vocab: dict[str, int] | None = None) -> None:
        self._get = (vocab if vocab is not None else _Same()).get
        self._words: dict[str, tuple] = {}
        name = self.name
        self.bias, self.mask, self.empty = name("bias"), name("w:<t>"), name("empty")
        self.cues = {c: name("t:" + c) for c in ("first", "poss", "by", "inquote", "speaker", "negclause")}
        self.lens = [name(f"t:len{k}") for k in range(5)]
        self.poss = [name(f"t:pos{k}") for k in range(len(_POS_EDGES) + 1)]
        self.v = [[name(f"v:{r}:{k}") for k in range(len(_VAL_EDGES) + 1)] for r in _REGIONS]
        self.vp = [[name(f"vp:{r}:{k}") for k in range(len(_SIGN_EDGES) + 1)] for r in _REGIONS]
        self.vn = [[name(f"vn:{r}:{k}") for k in range(len(_SIGN_EDGES) + 1)] for r in _REGIONS]
        self.dist = [name(f"v:dist:{k}") for k in range(len(_DIST_EDGES) + 1)]
        # near[right][positive]: "Lx:-", "Lx:+", "Rx:-", "Rx:+"
        self.near = ((name("Lx:-"), name("Lx:+")), (name("Rx:-"), name("Rx:+")))

    def name(self, feature: str):
        return self._get(feature, -1)

    def featurize(self, items: list[tuple[str, int, int]]) -> list[list]:
        """The features of (sentence, start, end) items, each sentence prepared once."""
        sentences: dict[str, _Sentence] = {}
        out = []
        for text, s, e in items:
            sent = sentences.get(text)
            if sent is None:
                sent = sentences[text] = self.sentence(text)
            out.append(self.target(sent, s, e))
        return out

    def _word(self, w: str) -> tuple:
        get, stem = self._get, _stem(w)
        feats = (*[get(p + w, -1) for p in _WORD_PREFIXES], get("bg:" + w + "_<t>", -1),
                 get("bg:<t>_" + w, -1), *[get(p + stem, -1) for p in _STEM_PREFIXES])
        if len(self._words) >= _MEMO_MAX:
            self._words.clear()
        self._words[w] = feats
        return feats

    def sentence(self, text: str) -> _Sentence:
        words, starts, ends = _words_spans(text)
        memo, word, get = self._words, self._word, self._get
        per_word = [memo.get(w) or word(w) for w in words]
        bigrams = [get(f"bg:{x}_{y}", -1) for x, y in zip(words, words[1:])]
        vals = _valences(words)
        scored = [(i, v) for i, v in enumerate(vals) if v]
        quotes = [i for i, w in enumerate(words) if w in _QUOTES]
        return _Sentence(words, starts, ends, per_word, bigrams, scored, quotes)

    def target(self, sent: _Sentence, start: int, end: int) -> list:
        # clauses.target_span by bisection: the tokens are in order and do not overlap.
        a, b = bisect_right(sent.ends, start), bisect_left(sent.starts, end)
        if a >= b:  # no token overlaps the target: the nearest one, or none
            span = target_span(list(zip(sent.words, sent.starts, sent.ends)), start, end)
            if span is None:
                return [self.empty]
            a, b = span
        n, words, per_word, bg = sent.n, sent.words, sent.per_word, sent.bigrams
        w, c, l1, l2, l4, r1, r2, r4, _, _, _, _, _, cs, ls, rs = sent.cols
        get = self._get

        # Whole sentence, target masked ("<t>"): the sentence's overall topic and tone. Its words
        # and bigrams, in order, with the target's part replaced.
        f = [self.bias, *w[:a], self.mask, *w[b:], *bg[: max(0, a - 1)]]
        if a >= 1:
            f.append(per_word[a - 1][_BG_LEFT])
        if b < n:
            f.append(per_word[b][_BG_RIGHT])
        f += bg[b:]

        # Words by side and distance (1, 2-3, 4-8 tokens), nearest first: "X criticized" vs
        # "criticized X".
        if a >= 1:
            f.append(l1[a - 1])
        f += l2[max(0, a - 3) : max(0, a - 1)][::-1]
        f += l4[max(0, a - 8) : max(0, a - 3)][::-1]
        if b < n:
            f.append(r1[b])
        f += r2[b + 1 : b + 3]
        f += r4[b + 3 : b + 8]
        if a > 0 and b < n:
            f.append(get(f"LR:{words[a - 1]}_{words[b]}", -1))
        if b + 1 < n:
            f.append(get(f"R12:{words[b]}_{words[b + 1]}", -1))
        if a >= 2:
            f.append(get(f"L21:{words[a - 2]}_{words[a - 1]}", -1))

        # The target's clause; crude stems pool inflections ("criticized", "criticizes").
        ca, cb = clause_span(words, a, b)
        f += c[ca:a]
        f += c[b:cb]
        f += cs[ca:a]
        f += cs[b:cb]
        f += ls[max(0, a - 4) : a]
        f += rs[b : b + 4]
        if ca > 0:
            f.append(per_word[ca - 1][_CSTART])

        # Role cues.
        cues = self.cues
        if a == 0 or (a == 1 and words[0] in _QUOTES):
            f.append(cues["first"])
        if b < n and words[b] in ("'s", "'"):
            f.append(cues["poss"])
        if a > 0 and words[a - 1] == "by":
            f.append(cues["by"])
        if bisect_left(sent.quotes, a) % 2 == 1:  # an odd number of quote marks before it
            f.append(cues["inquote"])
        if not _SPEECH_VERBS.isdisjoint(words[b : b + 3]) or not _SPEECH_VERBS.isdisjoint(words[max(0, a - 2) : a]):
            f.append(cues["speaker"])
        if not _NEGATIONS.isdisjoint(words[ca:cb]):
            f.append(cues["negclause"])
        f.append(self.lens[min(b - a, 4)])
        f.append(self.poss[bisect_right(_POS_EDGES, a / max(n, 1))])
        self._valence_features(f, sent, a, b, ca, cb)
        return f

    def _valence_features(self, f: list, sent: _Sentence, a: int, b: int, ca: int, cb: int) -> None:
        """Appends the lexicon valence per region, bucketed. One pass over the scored words, in
        order, so every sum adds the same terms in the same order as one sum per region would."""
        pos = [0, 0, 0, 0, 0]  # sent, clause, left, right, outside
        neg = [0, 0, 0, 0, 0]
        wsum = 0
        near = []
        per_word = sent.per_word
        for i, v in sent.scored:
            acc = pos if v > 0 else neg
            acc[0] += v
            if ca <= i < a or b <= i < cb:
                acc[1] += v
            if a - 6 <= i < a:
                acc[2] += v
            if b <= i < b + 6:
                acc[3] += v
            if i < ca or i >= cb:
                acc[4] += v
            # Distance-weighted valence: words next to the target weigh most.
            wsum += v / (1 + min(abs(i - a), abs(i - b + 1)))
            # Lexicon words near the target, by side: "attacked <t>" vs "<t> attacked".
            if a - 6 <= i < b + 6 and not a <= i < b:
                right = i >= a
                near.append(self.near[right][v > 0])
                near.append(per_word[i][_RW if right else _LW])
        for r in range(5):
            p, q = pos[r], neg[r]
            f.append(self.v[r][bisect_right(_VAL_EDGES, p + q)])
            f.append(self.vp[r][bisect_right(_SIGN_EDGES, p)])
            f.append(self.vn[r][bisect_right(_SIGN_EDGES, -q)])
        f.append(self.dist[bisect_right(_DIST_EDGES, wsum)])
        f += near


class _Same:
    """A vocabulary in which every feature is named by itself."""

    @staticmethod
    def get(feature: str, default=None) -> str:
        return feature


_STRINGS = Featurizer()  # the features as strings: training, tests


def _tokenize(text: str) -> list[tuple[str, int, int]]:
    """clauses.tokenize, from _words_spans."""
    return list(zip(*_words_spans(text)))


def _words_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """clauses.tokenize as (words, starts, ends), with the sentence lowercased once instead of
    token by token: the same tokens when lowercasing maps each character to one character on its
    own (same length, no capital sigma, whose lowercase depends on the next letter); else
    clauses.tokenize itself."""
    low = text.lower()
    if len(low) != len(text) or "Σ" in text:
        toks = tokenize(text)
        return [t[0] for t in toks], [t[1] for t in toks], [t[2] for t in toks]
    low = low.replace("’", "'")
    spans = list(map(_span, _TOKEN.finditer(text)))
    return [low[s:e] for s, e in spans], [s for s, _ in spans], [e for _, e in spans]


_span = re.Match.span
