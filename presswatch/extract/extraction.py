"""The NLP stage: one nlp.pipe over a batch of articles, one Extraction per article."""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from presswatch.records import Article, Extraction, Sentence
from presswatch.extract.amounts import find_amounts
from presswatch.extract.casing import restore_case
from presswatch.extract.dates import find_dates
from presswatch.extract.entities import canonicalize, find_mentions
from presswatch.extract.quotes import find_quotes
from presswatch.extract.targets import find_refs
from presswatch.extract.themes import find_themes


def extract_articles(nlp: Language, articles: list[Article], batch_size: int = 64) -> list[Extraction]:
    """Parses every body in one nlp.pipe call; results come back in input order."""
    # Case restoration keeps every character offset, so spans still index article.body.
    texts = (restore_case(a.body) for a in articles)
    docs = nlp.pipe(texts, batch_size=batch_size)
    return [extract_doc(doc, article) for doc, article in zip(docs, articles)]


def extract_doc(doc: Doc, article: Article) -> Extraction:
    body = article.body
    if _text_length(doc) != len(body):
        raise ValueError("doc does not align with article.body (different lengths)")
    sents = sentences(doc, body)
    mentions = canonicalize(doc, body, find_mentions(doc, body))
    starts = [s.start_char for s in sents]
    for m in mentions:
        m.sentence_idx = max(bisect_right(starts, m.start_char) - 1, 0)
    return Extraction(
        article_id=article.article_id,
        sentences=sents,
        mentions=mentions,
        quotes=find_quotes(doc, body, mentions),
        amounts=find_amounts(doc, body),
        dates=find_dates(doc, body, article.published_at),
        themes=find_themes(doc, article.word_count),
        refs=find_refs(doc, body, mentions),  # roles, pronouns, groups: mention_refs, not mentions
    )


def _text_length(doc: Doc) -> int:
    """len(doc.text), without joining every token's text (a Token object each)."""
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)


def sentences(doc: Doc, body: str | None = None) -> list[Sentence]:
    """body: the text the doc was parsed from, up to letter case (the same whitespace), so
    a sentence's text is a slice of it rather than a join of its tokens."""
    text = doc.text if body is None else body
    out = []
    for sent in doc.sents:
        span = text[sent.start_char : sent.end_char]
        start = sent.start_char + (len(span) - len(span.lstrip()))
        end = sent.end_char - (len(span) - len(span.rstrip()))
        if end > start:
            out.append(Sentence(sentence_idx=len(out), start_char=start, end_char=end))
    return out
