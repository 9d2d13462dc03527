"""The NLP stage: one nlp.pipe over a batch of articles, one Extraction per article."""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from presswatch.models import Article, Extraction, Sentence
from presswatch.nlp.amounts import find_amounts
from presswatch.nlp.casing import restore_case
from presswatch.nlp.dates import find_dates
from presswatch.nlp.entities import canonicalize, find_mentions
from presswatch.nlp.quotes import find_quotes
from presswatch.nlp.themes import find_themes


def extract_articles(nlp: Language, articles: list[Article], batch_size: int = 64) -> list[Extraction]:
    """Parses every body in one nlp.pipe call; results come back in input order."""
    # Case restoration keeps every character offset, so spans still index article.body.
    texts = (restore_case(a.body) for a in articles)
    docs = nlp.pipe(texts, batch_size=batch_size)
    return [extract_doc(doc, article) for doc, article in zip(docs, articles)]


def extract_doc(doc: Doc, article: Article) -> Extraction:
    body = article.body
    if len(doc.text) != len(body):
        raise ValueError("doc does not align with article.body (different lengths)")
    sents = sentences(doc)
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
    )


def sentences(doc: Doc) -> list[Sentence]:
    out = []
    for sent in doc.sents:
        span = sent.text
        start = sent.start_char + (len(span) - len(span.lstrip()))
        end = sent.end_char - (len(span) - len(span.rstrip()))
        if end > start:
            out.append(Sentence(sentence_idx=len(out), start_char=start, end_char=end))
    return out
