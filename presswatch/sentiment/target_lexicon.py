"""Target-window lexicon score: VADER over the target's clause, not its whole sentence.

"A praised B, whom critics called corrupt" should not give A the sentence's mixed score; the
clause (bounded by punctuation and clause-switching conjunctions) around the target is the
cheapest approximation of "what is said about it". Chosen over fixed token windows on
NewsMTSC train (see docs/sentiment.md).
"""

from __future__ import annotations

from presswatch.sentiment.features import _CLAUSE_PUNCT, _CLAUSE_WORDS, tokenize

# At least this many tokens each side of the target, even across a clause boundary: very
# short clauses ("X, 45,") carry no sentiment of their own.
MIN_SIDE = 8


def target_window(sentence: str, start: int, end: int) -> str:
    toks = tokenize(sentence)
    if not toks:
        return sentence
    tgt = [i for i, (_, s, e) in enumerate(toks) if s < end and e > start] or [
        min(range(len(toks)), key=lambda i: abs(toks[i][1] - start))
    ]
    a, b = tgt[0], tgt[-1] + 1
    ca = a
    while ca > 0 and (a - ca < MIN_SIDE or (toks[ca - 1][0] not in _CLAUSE_PUNCT and toks[ca - 1][0] not in _CLAUSE_WORDS)):
        ca -= 1
    cb = b
    while cb < len(toks) and (cb - b < MIN_SIDE or (toks[cb][0] not in _CLAUSE_PUNCT and toks[cb][0] not in _CLAUSE_WORDS)):
        cb += 1
    return sentence[toks[ca][1] : toks[cb - 1][2]]


def lexicon_target_scores(items: list[tuple[str, int, int]]) -> list[float]:
    """VADER compound of each (sentence, start, end) target's window, in [-1, 1]."""
    from presswatch.sentiment.score import sentence_scores

    return sentence_scores([target_window(s, a, b) for s, a, b in items])
