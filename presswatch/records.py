"""The records that flow between stages. Plain dataclasses: picklable, no framework types."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date


# Languages the English pipeline runs on; "und" (too short or odd to tell) gets the benefit of
# the doubt. Other articles load with their language but no English entities, quotes or tone.
NLP_LANGUAGES = (None, "en", "und")


class ArticleError(Exception):
    """A file or record that cannot become an Article. The message is stored in ingest_log.

    records_found: how many records the file held, when a multi-record file has none usable."""

    def __init__(self, message: str, *, records_found: int = 0) -> None:
        super().__init__(message)
        self.records_found = records_found


@dataclass
class Article:
    title: str | None
    body: str  # paragraphs joined by "\n\n"; every start_char/end_char points into this
    published_at: date | None = None
    source: str | None = None  # agency or outlet: "AFP", "Reuters", "BBC News"
    language: str | None = None
    url: str | None = None
    source_path: str | None = None
    file_sha256: str | None = None
    record_idx: int = 0  # position inside a multi-article file (JSON Lines)
    repeated_paragraphs: int = 0  # verbatim repeats dropped by the reader
    authors: str | None = None  # bylines joined by "; "
    body_is_summary: bool = False  # the source gave only a teaser (feed summary, API abstract)
    date_source: str | None = None  # metadata | htmldate | url | feed | json | text | warc | none
    extraction_mode: str | None = None  # precision | recall (trafilatura) | fragment (HTML in a feed) | plain

    @property
    def article_id(self) -> str:
        return article_id(self.body)

    @property
    def word_count(self) -> int:
        return len(self.body.split())


_WS = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFKC, whitespace collapsed, case folded: two copies of one article normalize alike."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def article_id(body: str) -> str:
    """Stable id: the first 16 hex digits of sha256 over the normalized body."""
    return hashlib.sha256(normalize_text(body).encode("utf-8")).hexdigest()[:16]


@dataclass
class Mention:
    surface: str
    label: str  # spaCy label as tagged at this mention
    sentence_idx: int
    start_char: int
    end_char: int
    canonical: str = ""  # canonical name of its entity within the article
    entity_label: str = ""  # label decided across all mentions of the entity
    sentiment: float | None = None
    sentiment_label: str | None = None  # negative | neutral | positive, by the method's own rule


@dataclass
class Quote:
    quote_idx: int
    text: str
    speaker: str | None  # canonical name when resolved, else the surface text
    verb: str | None
    start_char: int
    end_char: int
    kind: str = "direct"  # direct | mixed (a reported clause with quoted words) | indirect
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_label: str | None = None  # entity label of the speaker's canonical entity
    sentiment: float | None = None
    sentiment_label: str | None = None  # negative | neutral | positive (VADER's rule)
    quoted_start: int | None = None  # kind "mixed": where the quoted words inside start, end
    quoted_end: int | None = None


@dataclass
class Amount:
    value: float
    qualifier: str | None  # over, at least, about, nearly...
    object: str | None  # what is counted: "Palestinians"
    surface: str
    start_char: int
    end_char: int


@dataclass
class Sentence:
    sentence_idx: int
    start_char: int
    end_char: int
    sentiment: float | None = None
    sentiment_label: str | None = None  # negative | neutral | positive (VADER's rule)


@dataclass
class MentionRef:
    """A reference to a named entity that is not a named mention: a role ("the president"),
    a resolved pronoun, a group or a lower-case/possessive form (presswatch/extract/targets.py).
    Stored apart from mentions so entity counts keep their meaning."""

    kind: str  # role | pronoun | group | lower | name (an untagged proper name with a person cue)
    surface: str
    sentence_idx: int
    start_char: int
    end_char: int
    name: str  # canonical name of the entity referred to
    label: str  # its entity label
    sentiment: float | None = None
    sentiment_label: str | None = None


@dataclass
class EntityStance:
    """An article's stance toward one of its entities (presswatch/sentiment/stance.py)."""

    name: str
    label: str
    score: float  # P(positive) - P(negative) of the stance model
    stance: str  # negative | neutral | positive
    sentences: int


@dataclass
class DateMention:
    surface: str
    resolved: date | None
    start_char: int
    end_char: int


@dataclass
class Theme:
    theme: str
    hits: int
    score: float


@dataclass
class Tone:
    """GDELT's document tone tuple. Percentages are of all words in the document."""

    tone: float  # positive - negative
    positive: float
    negative: float
    polarity: float  # positive + negative: how emotionally charged, whatever the direction
    activity: float  # % of active words (verbs/adjectives in GDELT)
    self_group: float  # % of self/group reference words (we, our, us...)
    word_count: int


@dataclass
class Extraction:
    """Everything the NLP stage finds in one article."""

    article_id: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    refs: list[MentionRef] = field(default_factory=list)  # role/pronoun/group references (targets.py)
    stances: list[EntityStance] = field(default_factory=list)  # filled by the sentiment stage
    tone: Tone | None = None  # filled by the sentiment stage
    sentiment_method: str | None = None  # which method produced the scores: lexicon | model
    error: str | None = None  # NLP or sentiment failed on this article: it is quarantined, not loaded
