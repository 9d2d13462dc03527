"""Sentence, quote, entity and document tone.

Public API of the sentiment stage. Pure functions over presswatch.records; no framework.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from presswatch.records import NLP_LANGUAGES, Article, EntityStance, Extraction, Tone
from presswatch.sentiment import vader
from presswatch.sentiment.classifier import LABELS, SHIPPED_PATH, TargetClassifier, load_file
from presswatch.sentiment.clauses import target_window
from presswatch.sentiment.document import TargetMention, aggregate, classify, entity_items
from presswatch.sentiment.evidence import collect
from presswatch.sentiment.router import load_router
from presswatch.sentiment.stance import features, load_stance_model

METHODS = ("lexicon", "model")
# Chosen by name only (PRESSWATCH_SENTIMENT_METHOD=transformer): needs torch, an optional extra, so
# loops over METHODS (evaluations, tests) do not pull it in.
OPTIONAL_METHODS = ("transformer",)

# Words: runs of letters with inner apostrophes/hyphens ("don't", "well-known"); digits and
# punctuation are not words, as in GDELT's word count.
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")

# GDELT counts first-person pronouns as self/group references: the speaker or the group the
# speaker belongs to ("we", "our"). Singular forms are the "self" half.
SELF_GROUP_WORDS = frozenset(
    "i me my mine myself we us our ours ourself ourselves".split()
)

# GDELT's activity dictionary is not published; this is a small stand-in of verbs of action,
# conflict and change common in news (stems matched with -s/-es/-ed/-d/-ing endings).
ACTIVE_STEMS = frozenset(
    """
    act advance arrest attack ban battle beat block bomb break build burn buy capture charge
    chase clash close collapse conquer crash crush cut defeat defend demand deploy destroy
    drive drop escalate escape evacuate expand explode fight fire flee force grab halt hit
    hunt invade jump kill launch lead lift move occupy open oppose order overthrow protest
    pull punch push raid rally reject release resist retaliate riot rise run rush sack
    seize sell shoot shut slam smash soar speed spread storm strike surge sweep tackle target
    threaten topple vow walk win withdraw work
    """.split()
)
_SUFFIXES = ("ing", "ed", "es", "s", "d")


def _is_active(word: str) -> bool:
    if word in ACTIVE_STEMS:
        return True
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) > len(suf) + 2:
            stem = word[: -len(suf)]
            # "stopped" -> "stopp" -> "stop"; "raised" -> "rais" + "e"
            if stem in ACTIVE_STEMS or stem + "e" in ACTIVE_STEMS or (
                len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in ACTIVE_STEMS
            ):
                return True
    return False


def words(text: str) -> list[str]:
    """The words GDELT-style tone counts: lowercased, curly apostrophes straightened,
    possessive 's dropped (so "Israel's" is the word "israel")."""
    return [_normalized(m.group()) for m in _WORD.finditer(text)]


def _normalized(match: str) -> str:
    w = match.lower().replace("’", "'")
    return w[:-2] if w.endswith("'s") else w


def document_tone(text: str) -> Tone:
    """GDELT's document tone tuple (GKG codebook V2.1, field V1.5TONE), over ``text``.

    Words are runs of letters (see ``words``); every figure but word_count is a percentage
    of all words in the document, so the figures of long and short articles compare.

    - positive: Positive Score, the % of all words that have a positive emotional
      connotation, here words whose VADER lexicon valence is > 0. Range 0..100.
    - negative: Negative Score, the % of all words that have a negative emotional
      connotation (VADER valence < 0), reported as a positive number. Range 0..100.
    - tone: Tone, positive - negative: the average tone of the document, -100..+100,
      most news between -10 and +10; 0 is neutral.
    - polarity: Polarity, positive + negative: the % of words that matched the tonal
      dictionary, how emotionally charged the text is whatever the direction. High polarity
      with a tone near 0 means strong words on both sides, not a neutral text.
    - activity: Activity Reference Density, the % of words that are active words, a basic
      proxy of how "active" the text is compared with a clinically descriptive one. GDELT's
      dictionary is unpublished; ours is ACTIVE_STEMS (verbs of action/conflict, inflected).
    - self_group: Self/Group Reference Density, the % of words that are first-person
      pronouns (I, me, my, we, us, our, ours, ourselves...): self references and group talk.
      News copy is low in them; quotes and op-eds are high.
    - word_count: the number of words the percentages are of.

    Each word counts once, by its lexicon valence alone (no negation or intensifiers, as
    in GDELT): the tuple describes the vocabulary, sentence_scores() the sentences.
    """
    # Perf: each distinct word form is classified once (memo across documents); the counts
    # are the same as classifying every occurrence.
    n = pos = neg = act = selfg = 0
    for form, count in Counter(_WORD.findall(text)).items():
        kinds = _WORD_KINDS.get(form)
        if kinds is None:
            kinds = _word_kinds(form)
        n += count
        pos += kinds[0] * count
        neg += kinds[1] * count
        selfg += kinds[2] * count
        act += kinds[3] * count
    if n == 0:
        return Tone(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
    p, q = 100.0 * pos / n, 100.0 * neg / n
    return Tone(
        tone=p - q,
        positive=p,
        negative=q,
        polarity=p + q,
        activity=100.0 * act / n,
        self_group=100.0 * selfg / n,
        word_count=n,
    )


_WORD_KINDS: dict[str, tuple[int, int, int, int]] = {}
_WORD_KINDS_MAX = 200_000


def _word_kinds(form: str) -> tuple[int, int, int, int]:
    """(positive, negative, self/group, active) of a word as _WORD matched it, 0 or 1 each."""
    if len(_WORD_KINDS) > _WORD_KINDS_MAX:
        _WORD_KINDS.clear()
    w = _normalized(form)
    v = vader.lexicon().get(w)
    kinds = (int(v is not None and v > 0), int(v is not None and v < 0),
             int(w in SELF_GROUP_WORDS), int(_is_active(w)))
    _WORD_KINDS[form] = kinds
    return kinds


def sentence_scores(texts: list[str]) -> list[float]:
    """VADER compound score of each text, in [-1, 1] (-1 most negative, 0 neutral)."""
    return [_compound(t) if t and t.strip() else 0.0 for t in texts]


@lru_cache(maxsize=1 << 14)
def _compound(text: str) -> float:
    """Memoized: a mention's window is often its whole sentence, already scored."""
    return _compound_scorer()(text)


@lru_cache(maxsize=1)
def _compound_scorer() -> vader.CompoundScorer:
    return vader.CompoundScorer(vader.analyzer())


def lexicon_target_scores(items: list[tuple[str, int, int]]) -> list[float]:
    """VADER compound of each (sentence, start, end) target's window (clauses.target_window),
    in [-1, 1]: the lexicon method's mention score."""
    return sentence_scores([target_window(s, a, b) for s, a, b in items])


CLASSIFIER_PATH = SHIPPED_PATH


@lru_cache(maxsize=1)
def load_classifier() -> TargetClassifier | None:
    """The trained sentiment classifier (presswatch/data/), or None when it is absent."""
    if not CLASSIFIER_PATH.exists():
        return None
    return load_file(CLASSIFIER_PATH)


def load_scorers() -> None:
    """Read the classifier and build the VADER scorer now, so that processes forked later
    share them instead of each building its own."""
    load_classifier()
    load_router()  # its settings; the ONNX session is made in each process that scores
    load_stance_model("model")
    _compound_scorer()


def target_scorer(method: str):
    """(method actually used, classify, score) for (sentence, start, end) targets.

    classify(items) -> (n, 3) probabilities [neg, neu, pos], or None for the lexicon;
    score(items) -> n floats in [-1, 1]: P(pos) - P(neg) for the classifier (the expected
    polarity), VADER compound over the target's window for the lexicon.
    """
    if method not in METHODS + OPTIONAL_METHODS:
        raise ValueError(f"unknown sentiment method {method!r}; expected one of {METHODS + OPTIONAL_METHODS}")
    if method == "transformer":  # optional extra: MissingTransformerExtra names it when torch is absent
        model = _transformer_model()
        return "transformer", model.predict, model.scores
    classifier = load_classifier() if method == "model" else None
    if classifier is None:  # no trained classifier shipped: the lexicon, recorded as such
        return "lexicon", None, lexicon_target_scores

    def score(items):
        p = model_probs(items)
        return (p[:, 2] - p[:, 0]).tolist()

    return "model", model_probs, score


def model_probs(items: list[tuple[str, int, int]]) -> np.ndarray:
    """The default method's probabilities: the linear model's, its close calls pooled with the
    transformer network's by the shipped router (router.py) when its graph is present."""
    p = load_classifier().score_targets(items)
    router = load_router()
    return router.route(items, p) if router is not None and len(items) else p


def score_extraction(article: Article, ex: Extraction, method: str = "lexicon") -> None:
    """Fill the sentiment of every sentence, quote and mention of one article, and its tone.

    Sentences and quotes: VADER compound. Mentions: sentiment toward that entity in its
    sentence, by ``method`` (see target_scorer). ex.sentiment_method records the method that
    produced the mention scores ("lexicon" when "model" was asked but no classifier is shipped).
    """
    score_batch([article], [ex], method)


def score_batch(articles: list[Article], extractions: list[Extraction], method: str = "lexicon") -> None:
    """score_extraction over a batch: one VADER pass over every sentence and quote of the
    batch, one targeted pass over every mention."""
    used, _, _ = target_scorer(method)
    if len(articles) != len(extractions):
        raise ValueError("articles and extractions differ in length")
    texts: list[str] = []
    targets: list[tuple[str, int, int]] = []
    for art, ex in zip(articles, extractions):
        texts.extend(art.body[s.start_char : s.end_char] for s in ex.sentences)
        texts.extend(q.text for q in ex.quotes)
        spans = {s.sentence_idx: (s.start_char, s.end_char) for s in ex.sentences}
        for m in ex.mentions:
            targets.append(_mention_context(art.body, m, spans.get(m.sentence_idx)))
        for r in ex.refs:  # role/pronoun/group references are targets like the mentions
            targets.append(_mention_context(art.body, r, spans.get(r.sentence_idx)))
    scores = iter(sentence_scores(texts))
    # One probability row per distinct target, reused by the stances (their named sentences are
    # these mentions): only pronoun sentences and headlines are scored again.
    probs = _MemoProbs(target_probs(used))
    mention_scores = iter(zip(*_classes_of(used, probs(targets))))
    for art, ex in zip(articles, extractions):
        for s in ex.sentences:
            s.sentiment = next(scores)
            s.sentiment_label = lexicon_label(s.sentiment)
        for q in ex.quotes:
            q.sentiment = next(scores)
            q.sentiment_label = lexicon_label(q.sentiment)
        for m in (*ex.mentions, *ex.refs):
            m.sentiment, m.sentiment_label = next(mention_scores)
        # The lexicon is English: a French article's tone would be noise, so it stays NULL.
        ex.tone = document_tone(art.body) if art.language in NLP_LANGUAGES else None
        ex.sentiment_method = used
        ex.stances = entity_stances(art, ex, used, probs)


class _MemoProbs:
    """target_probs with a memo of the rows already computed in this batch."""

    def __init__(self, fn) -> None:
        self.fn, self.rows = fn, {}

    def __call__(self, items: list[tuple[str, int, int]]) -> np.ndarray:
        missing = [it for it in dict.fromkeys(items) if it not in self.rows]
        if missing:
            self.rows.update(zip(missing, np.asarray(self.fn(missing), dtype=float)))
        return np.array([self.rows[it] for it in items]).reshape(len(items), 3)


def _classes_of(used: str, p: np.ndarray) -> tuple[list[float], list[str]]:
    """(scores, classes) from probability rows: target_classes' rule (the lexicon's rows carry
    its compound as P(pos) - P(neg), see target_probs)."""
    sc = (p[:, 2] - p[:, 0]).tolist()
    if used == "lexicon":
        return sc, [classify(x, LEXICON_TARGET_THRESHOLDS) for x in sc]
    return sc, [LABELS[i] for i in p.argmax(1)]


def entity_stances(article: Article, ex: Extraction, used: str, probs=None) -> list[EntityStance]:
    """The article's stance toward each entity it names: the fitted stance model over the
    evidence (evidence.py, stance.py) when one is shipped for the method, else the class of the
    mean sentence score by document_thresholds."""
    if not ex.mentions:
        return []
    tone = ex.tone.tone if ex.tone else document_tone(article.body).tone
    evidence = collect(article, ex, probs or target_probs(used), sentence_scores, tone)
    model = load_stance_model(used)
    # One matrix product for the article's entities, not one per entity.
    stance = model.proba(np.array([features(ev) for ev in evidence.values()])) \
        if model is not None and evidence else None
    out = []
    for i, ((name, label), ev) in enumerate(evidence.items()):
        n = len(ev.probs)
        if stance is not None:
            p = stance[i]
            sc, cls = float(p[2] - p[0]), LABELS[int(p.argmax())]
        else:
            sc = aggregate(ev.probs[:, 2] - ev.probs[:, 0])
            cls = classify(sc, document_thresholds(used))
        out.append(EntityStance(name, label, sc, cls, n))
    return out


# VADER's own rule for its compound score (Hutto & Gilbert 2014): |compound| < 0.05 is neutral.
VADER_NEUTRAL_BAND = 0.05


def lexicon_label(compound: float) -> str:
    """The class of a VADER compound score (sentences, quotes), by VADER's published rule."""
    return LABELS[0] if compound <= -VADER_NEUTRAL_BAND else LABELS[2] if compound >= VADER_NEUTRAL_BAND \
        else LABELS[1]


# Lexicon target scores (clause window) -> class: cut points chosen on NewsMTSC train by
# sentiment_training.choose_thresholds; a test keeps them equal to a fresh computation.
LEXICON_TARGET_THRESHOLDS = (0.0, 0.3)


def target_classes(used: str, items: list[tuple[str, int, int]]) -> tuple[list[float], list[str]]:
    """(scores, classes) of (sentence, start, end) targets by the method as used: the model's
    score is P(pos) - P(neg) and its class the most probable one; the lexicon's score is the
    window compound and its class comes from LEXICON_TARGET_THRESHOLDS."""
    if not items:
        return [], []
    if used in ("model", "transformer"):
        p = target_probs(used)(items)
        return (p[:, 2] - p[:, 0]).tolist(), [LABELS[i] for i in p.argmax(1)]
    sc = lexicon_target_scores(items)
    return sc, [classify(x, LEXICON_TARGET_THRESHOLDS) for x in sc]


def target_probs(used: str):
    """items -> (n, 3) [neg, neu, pos] for the method as used. The lexicon has no probabilities:
    its window compound c stands in as (max(-c, 0), 1 - |c|, max(c, 0)), for the stance model."""
    if used == "model":
        return model_probs
    if used == "transformer":
        return _transformer_model().predict

    def lexicon_probs(items):
        c = np.asarray(lexicon_target_scores(items), dtype=float).reshape(-1)
        return np.stack([np.maximum(-c, 0), 1 - np.abs(c), np.maximum(c, 0)], 1)

    return lexicon_probs


def document_thresholds(method: str) -> tuple[float, float]:
    """(negative_below, positive_above) on an entity's article score, for ``method`` as used.

    Chosen on NewsMTSC train only: stored in the classifier file for "model"; for the lexicon,
    the constants below, the same routine run on the lexicon's scores
    (presswatch/evaluation/sentiment_training.py)."""
    if method == "transformer":  # chosen on held-out NewsMTSC train articles, stored in its file
        return tuple(_transformer_model().thresholds["document"])
    classifier = load_classifier() if method == "model" else None
    if classifier is not None and "document" in classifier.thresholds:
        return tuple(classifier.thresholds["document"])
    return LEXICON_DOCUMENT_THRESHOLDS


def _transformer_model():
    """The fine-tuned transformer (presswatch/sentiment/transformer.py), imported only when chosen:
    torch is an optional extra."""
    from presswatch.sentiment import transformer

    return transformer.load_model()


# Chosen on NewsMTSC train (sentiment_training.document_thresholds); tests keep it equal to a fresh
# computation and to the SQL view entity_article_sentiment.
LEXICON_DOCUMENT_THRESHOLDS = (0.0, 0.3)


@dataclass
class EntitySentiment:
    """An article's sentiment toward one entity (see presswatch/sentiment/document.py)."""

    name: str  # canonical name
    label: str  # entity label (PERSON, ORG...)
    score: float  # mean target score over the sentences that refer to it, in [-1, 1]
    sentiment: str  # negative | neutral | positive, by document_thresholds(method)
    mentions: int  # named mentions
    sentences: int  # sentences scored (named + pronoun-only)
    pronoun_sentences: int  # sentences reached only through a pronoun (PERSON entities)
    method: str


def entity_document_sentiment(article: Article, ex: Extraction, method: str = "model",
                              pronouns: bool = True) -> list[EntitySentiment]:
    """Article-level sentiment toward each entity of one extracted article.

    Each sentence that names the entity, or (people) refers to it by a pronoun whose nearest
    preceding PERSON mention is that entity, is scored toward it; the article score is the
    mean, the class comes from document_thresholds. The warehouse view
    entity_article_sentiment computes the same from the named mentions alone.
    """
    used, _, target_score = target_scorer(method)
    spans = [(s.start_char, s.end_char) for s in ex.sentences]
    ments = [
        TargetMention(m.start_char, m.end_char, (m.canonical or m.surface, m.entity_label or m.label),
                      (m.entity_label or m.label) == "PERSON")
        for m in ex.mentions
    ]
    ents = entity_items(article.body, spans, ments, pronouns=pronouns)
    flat = [it for e in ents.values() for it in e.items]
    scores = target_score(flat) if flat else []
    th = document_thresholds(used)
    out, k = [], 0
    for (name, label), e in ents.items():
        sc = aggregate(scores[k : k + len(e.items)])
        k += len(e.items)
        if e.mentions == 0:  # reached only through pronouns: not an entity of this article
            continue
        out.append(EntitySentiment(name, label, sc, classify(sc, th), e.mentions,
                                   len(e.items), e.pronoun, used))
    return out


# Context taken around a mention whose sentence is unknown or does not contain it.
_FALLBACK_CHARS = 300


def _mention_context(body: str, m, span: tuple[int, int] | None) -> tuple[str, int, int]:
    """(sentence text, mention start, mention end) with offsets inside that text."""
    if span is None or not (span[0] <= m.start_char and m.end_char <= span[1]):
        span = (max(0, m.start_char - _FALLBACK_CHARS), min(len(body), m.end_char + _FALLBACK_CHARS))
    s, e = span
    return body[s:e], m.start_char - s, m.end_char - s
