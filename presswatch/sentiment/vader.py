"""VADER's compound score, the same numbers as vaderSentiment 3.3.2's polarity_scores, faster.

polarity_scores() is pure Python and does needless work per sentence: it walks the text
character by character looking for emojis, and for every lexicon word it lowercases every
word of the sentence again (three negation checks and an idiom check). Here each word is
lowercased once (memoized across sentences), only the lexicon words are scored, with the
package's rules copied line for line, and the package's own code runs where a rule is rare
or quirky (emojis, "but", "least", boosters, the punctuation emphasis). Checked against the
package on random and real sentences (tests/presswatch/sentiment/test_vader.py); the speed-up
is measured in docs/performance.md.

The one home of VADER in presswatch: the analyzer and its lexicon are shared from here, and this
module imports nothing else of presswatch.
"""

from __future__ import annotations

import string
from functools import lru_cache
from operator import itemgetter

from vaderSentiment import vaderSentiment as V

# Raw whitespace-split tokens remembered (token -> (word, lowercased, all caps, in the
# lexicon)); news repeats its vocabulary, so most tokens are a dict hit. Cleared past this size.
TOKEN_MEMO_MAX = 200_000
_WORD, _LOWER, _UPPER = itemgetter(0), itemgetter(1), itemgetter(2)
# vaderSentiment.negated() of one word: NEGATE is a list, scanned word by word there.
_NEGATE = frozenset(V.NEGATE)


@lru_cache(maxsize=1)
def analyzer() -> V.SentimentIntensityAnalyzer:
    """One VADER analyzer per process: building it parses the 7.5k-word lexicon file."""
    return V.SentimentIntensityAnalyzer()


def lexicon() -> dict[str, float]:
    """VADER's word -> valence lexicon (lowercased words, valence in [-4, 4])."""
    return analyzer().lexicon


class CompoundScorer:
    """compound(text) == analyzer.polarity_scores(text)["compound"] for one analyzer."""

    def __init__(self, analyzer: V.SentimentIntensityAnalyzer) -> None:
        self._analyzer = analyzer
        self._lexicon = analyzer.lexicon
        # polarity_scores tests one character at a time: multi-character keys never match.
        self._emoji_chars = frozenset(k for k in analyzer.emojis if len(k) == 1)
        self._tokens: dict[str, tuple[str, str, bool, bool]] = {}

    def __call__(self, text: str) -> float:
        if not self._emoji_chars.isdisjoint(text):
            text = self._replace_emojis(text)
        text = text.strip()
        entries = self._words(text)
        scored = [i for i, e in enumerate(entries) if e[3]]
        if not scored:
            return 0.0  # every word scores 0: so does the sentence
        words = list(map(_WORD, entries))
        lowers = list(map(_LOWER, entries))
        n, n_upper = len(words), sum(map(_UPPER, entries))
        is_cap_diff = 0 < n - n_upper < n  # allcap_differential
        valences: dict[int, float] = {}
        for i in scored:
            low = lowers[i]
            if low in V.BOOSTER_DICT or (low == "kind" and i < n - 1 and lowers[i + 1] == "of"):
                continue  # modifiers score 0 themselves, as in polarity_scores
            valences[i] = self._valence(words, lowers, i, is_cap_diff)
        if "but" in lowers:
            sentiments = [valences.get(i, 0) for i in range(n)]
            total = float(sum(V.SentimentIntensityAnalyzer._but_check(words, sentiments)))
        else:
            # the zeros polarity_scores adds for the other words do not change the sum
            total = float(sum(valences.values()))
        if total > 0:
            total += self._analyzer._punctuation_emphasis(text)
        elif total < 0:
            total -= self._analyzer._punctuation_emphasis(text)
        return round(V.normalize(total), 4)

    def _replace_emojis(self, text: str) -> str:
        """polarity_scores' emoji step: each emoji becomes its description."""
        emojis = self._analyzer.emojis
        out = []
        prev_space = True
        for ch in text:
            if ch in emojis:
                if not prev_space:
                    out.append(" ")
                out.append(emojis[ch])
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        return "".join(out)

    def _words(self, text: str) -> list[tuple[str, str, bool, bool]]:
        """SentiText's words_and_emoticons, each as (word, lowercased, all caps, in the
        lexicon)."""
        memo = self._tokens
        if len(memo) > TOKEN_MEMO_MAX:
            memo.clear()
        raw = text.split()
        entries = list(map(memo.get, raw))
        if None in entries:
            for k, entry in enumerate(entries):
                if entry is None:
                    entries[k] = memo[raw[k]] = self._entry(raw[k])
        return entries

    def _entry(self, raw: str) -> tuple[str, str, bool, bool]:
        word = raw.strip(string.punctuation)
        if len(word) <= 2:  # _strip_punc_if_word: likely an emoticon, kept whole
            word = raw
        lower = word.lower()
        return word, lower, word.isupper(), lower in self._lexicon

    def _valence(self, words: list[str], lowers: list[str], i: int, is_cap_diff: bool) -> float:
        """SentimentIntensityAnalyzer.sentiment_valence for the lexicon word at i."""
        lex = self._lexicon
        item_lowercase = lowers[i]
        valence = lex[item_lowercase]
        if item_lowercase == "no" and i != len(words) - 1 and lowers[i + 1] in lex:
            valence = 0.0
        if (i > 0 and lowers[i - 1] == "no") \
           or (i > 1 and lowers[i - 2] == "no") \
           or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ["or", "nor"]):
            valence = lex[item_lowercase] * V.N_SCALAR
        if words[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += V.C_INCR
            else:
                valence -= V.C_INCR
        for start_i in range(0, 3):
            if i > start_i and lowers[i - (start_i + 1)] not in lex:
                s = V.scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lowers, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lowers, i)
        return self._analyzer._least_check(valence, words, i)


def _negated(word: str) -> bool:
    """vaderSentiment.negated([word])."""
    word = word.lower()
    return word in _NEGATE or "n't" in word


def _negation_check(valence: float, lowers: list[str], start_i: int, i: int) -> float:
    """SentimentIntensityAnalyzer._negation_check over the already lowercased words."""
    if start_i == 0:
        if _negated(lowers[i - (start_i + 1)]):
            valence = valence * V.N_SCALAR
    if start_i == 1:
        if lowers[i - 2] == "never" and (lowers[i - 1] == "so" or lowers[i - 1] == "this"):
            valence = valence * 1.25
        elif lowers[i - 2] == "without" and lowers[i - 1] == "doubt":
            valence = valence
        elif _negated(lowers[i - (start_i + 1)]):
            valence = valence * V.N_SCALAR
    if start_i == 2:
        if lowers[i - 3] == "never" and (lowers[i - 2] == "so" or lowers[i - 2] == "this") or \
                (lowers[i - 1] == "so" or lowers[i - 1] == "this"):
            valence = valence * 1.25
        elif lowers[i - 3] == "without" and (lowers[i - 2] == "doubt" or lowers[i - 1] == "doubt"):
            valence = valence
        elif _negated(lowers[i - (start_i + 1)]):
            valence = valence * V.N_SCALAR
    return valence


def _special_idioms_check(valence: float, lowers: list[str], i: int) -> float:
    """SentimentIntensityAnalyzer._special_idioms_check over the already lowercased words."""
    onezero = f"{lowers[i - 1]} {lowers[i]}"
    twoonezero = f"{lowers[i - 2]} {lowers[i - 1]} {lowers[i]}"
    twoone = f"{lowers[i - 2]} {lowers[i - 1]}"
    threetwoone = f"{lowers[i - 3]} {lowers[i - 2]} {lowers[i - 1]}"
    threetwo = f"{lowers[i - 3]} {lowers[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in V.SPECIAL_CASES:
            valence = V.SPECIAL_CASES[seq]
            break
    if len(lowers) - 1 > i:
        zeroone = f"{lowers[i]} {lowers[i + 1]}"
        if zeroone in V.SPECIAL_CASES:
            valence = V.SPECIAL_CASES[zeroone]
    if len(lowers) - 1 > i + 1:
        zeroonetwo = f"{lowers[i]} {lowers[i + 1]} {lowers[i + 2]}"
        if zeroonetwo in V.SPECIAL_CASES:
            valence = V.SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in V.BOOSTER_DICT:
            valence = valence + V.BOOSTER_DICT[n_gram]
    return valence
