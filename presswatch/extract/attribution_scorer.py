"""A learned check on attributions: for cues off the word lists (lexicon.py) it decides
whether to make a row; for the rows the rules make it can veto the least likely ones.

The rules of presswatch.extract.indirect accept a listed speech, cognition or stance verb.
Beyond the lists PolNeAR's cues are a long tail ("seemed", "wants", "offered", "voted for"),
each right only with some subjects and complements ("Trump wants to build a wall" is an
attribution, "the bill wants funding" is not). Every other verb with a subject that names a
source and a complement is a candidate; a logistic regression over its shape (verb form,
complement, subject kind, tense) and its words (word_features) decides. Weights are trained on
PolNeAR train, and on unlabelled news labelled by the transformer method's cross-encoder, by
`presswatch train quotes` (presswatch.evaluation.quote_training) and shipped as JSON.
The rules' own rows are scored by the same model (feature `origin=`): a row the model gives
less than `rule_threshold` is dropped (a thing, not a source, as subject; a description,
not speech)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from presswatch.extract.lexicon import COGNITION_VERBS, SPEECH_VERBS, STANCE_VERBS
from presswatch.records import Quote

SCORER_PATH = Path(__file__).resolve().parent.parent / "data" / "attribution_scorer.json"
PRONOUNS = frozenset("i we you he she they it".split())
# Content openers that say what kind of complement it is ("that ...", "to ...", "for ...").
OPENERS = frozenset("that to for if whether about what how why".split())
QUOTE_MARKS = "\"“”‘’"
SIDE_CHARS = 200  # the speaker-and-verb side keeps its last words (the verb is next to the content)
CONTENT_CHARS = 400
_WORD = re.compile(r"[a-z']+")
# Words too common to say what a content is about (its first words are features otherwise).
_FUNCTION_WORDS = frozenset("the a an of and or in on at to for by with from as is was be been are were "
                            "it its this that these those".split())


@dataclass
class Candidate:
    """An attribution the rules did not make; `features` describe its shape."""

    quote: Quote
    features: list[str] = field(default_factory=list)
    body: str = ""  # the article text the quote's offsets point into (the words are read from it)


def features(verb: Token, content: Span, shape: str, speaker_label: str | None, speaker_text: str,
             origin: str = "offlist", marks: bool = False) -> list[str]:
    """The candidate's shape as string features (one-hot, summed weights). origin: which
    rule made it ("rule") or "offlist" for the candidate pass; marks: the content holds a
    quotation mark (quoted words someone said: see has_marks)."""
    out = _shape_features(verb, content, shape, speaker_label, speaker_text)
    low = verb.lower_ if verb is not None else "-"
    lex = ("speech" if low in SPEECH_VERBS else "cognition" if low in COGNITION_VERBS
           else "stance" if low in STANCE_VERBS else "none")
    out += [f"origin={origin}", f"origin|shape={origin}|{shape}", f"origin|v={origin}|{low}",
            f"lex={lex}", f"lex|subj={lex}|{_subj(speaker_label, speaker_text)}", f"marks={int(marks)}",
            f"origin|subj={origin}|{_subj(speaker_label, speaker_text)}"]
    return out


def pair_text(quote: Quote, body: str) -> tuple[str, str]:
    """(side, content): the words between the speaker and the content (speaker and verb
    included), and the content. Read by the word features and the transformer method alike."""
    ss = quote.speaker_start if quote.speaker_start is not None else quote.start_char
    se = quote.speaker_end if quote.speaker_end is not None else quote.start_char
    side = body[ss:quote.start_char] if ss < quote.start_char else body[quote.end_char:se]
    side = " ".join(side.split())[-SIDE_CHARS:] or "-"
    return side, " ".join(quote.text.split())[:CONTENT_CHARS]


def word_features(pair: tuple[str, str]) -> list[str]:
    """The candidate's own words: the last words and bigrams of the speaker-and-verb side and
    its length, the content's first words and its opening. Learnt from the cross-encoder's
    labels of unlabelled news (presswatch.evaluation.quote_training, docs/quotes.md session 25)."""
    side = _WORD.findall(pair[0].lower())
    content = _WORD.findall(pair[1].lower())
    out = ["sw=" + w for w in dict.fromkeys(side[-6:])]
    out += [f"sb={a}_{b}" for a, b in zip(side[-4:], side[-3:])]
    out.append(f"slen={min(len(side), 12)}")
    out += ["cw=" + w for w in dict.fromkeys(content[:12]) if w not in _FUNCTION_WORDS]
    out.append("cf=" + "_".join(content[:2]))
    return out


def has_marks(text: str) -> bool:
    return any(ch in text for ch in QUOTE_MARKS)


def _subj(speaker_label: str | None, speaker_text: str) -> str:
    return speaker_label or ("pron" if speaker_text.lower() in PRONOUNS else "noun")


def _shape_features(verb: Token | None, content: Span, shape: str, speaker_label: str | None,
                    speaker_text: str) -> list[str]:
    if verb is None:  # "according to X", "X: ..." lines: no verb to describe
        return [f"shape={shape}", f"subj={_subj(speaker_label, speaker_text)}"]
    low = verb.lower_
    subj = _subj(speaker_label, speaker_text)
    first = content[0].lower_
    n = len(content)
    size = "s" if n < 6 else "m" if n < 12 else "l" if n < 25 else "xl"
    out = [f"v={low}", f"stem={_stem(low)}", f"shape={shape}", f"v|shape={low}|{shape}",
           f"stem|shape={_stem(low)}|{shape}", f"tag={verb.tag_}", f"dep={verb.dep_}",
           f"subj={subj}", f"subj|shape={subj}|{shape}", f"size={size}",
           f"first={first if first in OPENERS else '-'}", f"first|shape={first if first in OPENERS else '-'}|{shape}",
           f"v|subj={low}|{subj}", f"v|first={low}|{first if first in OPENERS else '-'}"]
    # What the content is (a clause's verb, a noun phrase, a number) and where the verb hangs.
    out += [f"cpos={content.root.pos_}", f"cpos|shape={content.root.pos_}|{shape}",
            f"head={verb.head.pos_ if verb.head is not verb else 'ROOT'}|{verb.dep_}"]
    if subj == "noun":  # a role noun ("officials", "the spokesman") or a thing ("the bill")
        out.append(f"subj_word={speaker_text.split()[-1].lower() if speaker_text.split() else '-'}")
    for child in verb.children:
        if child.dep_ == "neg":
            out.append("neg")
        elif child.dep_ == "aux" and child.tag_ == "MD":
            out.append("modal")
    return out


def _stem(word: str) -> str:
    """A crude lemma: the pipeline runs no lemmatizer and verb forms differ in their tail."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


class AttributionScorer:
    """Logistic regression: P(attribution) = sigmoid(bias + sum of the features' weights).
    words: the model reads the candidate's words too (word_features), not only its shape."""

    def __init__(self, weights: dict[str, float], bias: float, threshold: float, rule_threshold: float = 0.0,
                 words: bool = False):
        self.weights, self.bias, self.threshold = weights, bias, threshold
        self.rule_threshold, self.words = rule_threshold, words

    def candidate_features(self, candidate: Candidate) -> list[str]:
        if not self.words:
            return candidate.features
        return candidate.features + word_features(pair_text(candidate.quote, candidate.body))

    def logit(self, feats: list[str]) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) for f in feats)

    def probability(self, feats: list[str]) -> float:
        z = self.logit(feats)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def accepts(self, candidate: Candidate) -> bool:
        return self.probability(self.candidate_features(candidate)) >= self.threshold

    def keeps(self, candidate: Candidate) -> bool:
        """A row the rules made stays unless the model finds it unlikely."""
        return (self.rule_threshold <= 0.0
                or self.probability(self.candidate_features(candidate)) >= self.rule_threshold)


class BlendedScorer(AttributionScorer):
    """The linear scorer's logit and a cross-encoder's, blended: P = sigmoid((linear logit + clipped
    encoder logit) / 2). The encoder runs only when its clipped logit could move the blend across the
    bar; otherwise the clip's bound stands in (the decision is the full blend's, at a fraction of the calls)."""

    def __init__(self, weights: dict[str, float], bias: float, threshold: float, rule_threshold: float,
                 clip: tuple[float, float], logit_fn, words: bool = False):
        super().__init__(weights, bias, threshold, rule_threshold, words)
        self.clip, self.logit_fn = clip, logit_fn

    def candidate_probability(self, candidate: Candidate, bar: float) -> float:
        """P(attribution) as the decision against `bar` sees it."""
        z_lin = self.logit(self.candidate_features(candidate))
        lo, hi = self.clip
        need = 2 * _logit(bar)
        if z_lin + hi < need or z_lin + lo >= need:
            z_enc = lo if z_lin + hi < need else hi
        else:
            z_enc = min(max(self.logit_fn(pair_text(candidate.quote, candidate.body)), lo), hi)
        return 1.0 / (1.0 + math.exp(-max(min((z_lin + z_enc) / 2, 30.0), -30.0)))

    def accepts(self, candidate: Candidate) -> bool:
        return self.candidate_probability(candidate, self.threshold) >= self.threshold

    def keeps(self, candidate: Candidate) -> bool:
        return (self.rule_threshold <= 0.0
                or self.candidate_probability(candidate, self.rule_threshold) >= self.rule_threshold)


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


@lru_cache(maxsize=None)
def load_scorer(path: Path = SCORER_PATH) -> AttributionScorer:
    if not path.is_file():
        raise FileNotFoundError(f"attribution scorer weights missing: {path} "
                                "(re-create them with `presswatch train quotes`)")
    data = json.loads(path.read_text(encoding="utf-8"))
    if "encoder" in data:  # the default since session 30: the words blended with the small cross-encoder
        from presswatch.extract.quote_encoder import QuoteEncoder

        enc = data["encoder"]
        return BlendedScorer(data["weights"], data["bias"], data["threshold"], data.get("rule_threshold", 0.0),
                             tuple(enc["clip"]), QuoteEncoder(path.parent / enc["file"]), words=True)
    return AttributionScorer(data["weights"], data["bias"], data["threshold"], data.get("rule_threshold", 0.0),
                             bool(data.get("words", False)))
