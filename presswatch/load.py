"""Stage 6, its domain half: failed extractions settled into quarantines, and articles with
their extractions as warehouse rows (polars frames, one per table). warehouse/load.py writes them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

import polars as pl

from presswatch import __version__ as PIPELINE_VERSION
from presswatch.read.batch import FileOutcome
from presswatch.records import Article, Extraction


def entity_id(name: str, label: str) -> str:
    return hashlib.sha256(f"{label}|{name}".encode("utf-8")).hexdigest()[:16]


_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "articles": {
        "article_id": pl.String, "title": pl.String, "published_at": pl.Date, "source": pl.String,
        "language": pl.String, "url": pl.String, "body": pl.String, "word_count": pl.Int32,
        "tone": pl.Float64, "positive": pl.Float64, "negative": pl.Float64, "polarity": pl.Float64,
        "activity": pl.Float64, "self_group": pl.Float64, "sentiment_method": pl.String,
        "repeated_paragraphs": pl.Int32, "authors": pl.String, "body_is_summary": pl.Boolean,
        "date_source": pl.String, "extraction_mode": pl.String,
        "source_path": pl.String, "file_sha256": pl.String,
        "record_idx": pl.Int32, "flow_run_id": pl.String, "ingested_at": pl.Datetime("us"),
        "pipeline_version": pl.String,
    },
    "entities": {"entity_id": pl.String, "name": pl.String, "label": pl.String},
    "mentions": {
        "article_id": pl.String, "entity_id": pl.String, "surface": pl.String, "label": pl.String,
        "ner_label": pl.String, "sentence_idx": pl.Int32, "start_char": pl.Int32,
        "end_char": pl.Int32, "sentiment": pl.Float64, "sentiment_method": pl.String,
        "sentiment_label": pl.String,
    },
    "quotes": {
        "article_id": pl.String, "quote_idx": pl.Int32, "kind": pl.String, "text": pl.String,
        "speaker": pl.String, "speaker_entity_id": pl.String, "verb": pl.String,
        "start_char": pl.Int32, "end_char": pl.Int32, "sentiment": pl.Float64,
        "sentiment_method": pl.String, "quoted_start": pl.Int32, "quoted_end": pl.Int32,
        "sentiment_label": pl.String, "speaker_start": pl.Int32, "speaker_end": pl.Int32,
    },
    "amounts": {
        "article_id": pl.String, "amount_idx": pl.Int32, "value": pl.Float64,
        "qualifier": pl.String, "object": pl.String, "surface": pl.String,
        "start_char": pl.Int32, "end_char": pl.Int32,
    },
    "sentences": {
        "article_id": pl.String, "sentence_idx": pl.Int32, "start_char": pl.Int32,
        "end_char": pl.Int32, "sentiment": pl.Float64, "sentiment_method": pl.String,
        "sentiment_label": pl.String,
    },
    # Issue 15 (migration 017): references that are not named mentions, and article stance.
    "mention_refs": {
        "article_id": pl.String, "entity_id": pl.String, "kind": pl.String, "surface": pl.String,
        "sentence_idx": pl.Int32, "start_char": pl.Int32, "end_char": pl.Int32,
        "sentiment": pl.Float64, "sentiment_label": pl.String, "sentiment_method": pl.String,
    },
    "entity_stance": {
        "article_id": pl.String, "entity_id": pl.String, "score": pl.Float64, "stance": pl.String,
        "sentences": pl.Int32, "sentiment_method": pl.String,
    },
    "date_mentions": {
        "article_id": pl.String, "surface": pl.String, "resolved": pl.Date,
        "start_char": pl.Int32, "end_char": pl.Int32,
    },
    "article_themes": {
        "article_id": pl.String, "theme": pl.String, "hits": pl.Int32, "score": pl.Float64,
    },
}

ARTICLE_TABLES = tuple(t for t in _SCHEMAS if t != "entities")


@dataclass
class Frames:
    tables: dict[str, pl.DataFrame]

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]


def to_frames(
    pairs: list[tuple[Article, Extraction]], *, flow_run_id: str, ingested_at: datetime
) -> Frames:
    # Rows as tuples in _SCHEMAS' column order, not a dict per row: ~30% less CPU in the main
    # process for the same frames (docs/performance.md, session 9).
    rows: dict[str, list[tuple]] = {name: [] for name in _SCHEMAS}
    entities: dict[str, tuple] = {}
    seen: set[str] = set()
    for article, ex in pairs:
        aid = ex.article_id
        if aid in seen:  # one article in two files of a batch: the first one wins
            continue
        seen.add(aid)
        method = ex.sentiment_method
        tone = ex.tone
        rows["articles"].append((
            aid, article.title, article.published_at, article.source, article.language, article.url,
            article.body, tone.word_count if tone else article.word_count,
            tone and tone.tone, tone and tone.positive, tone and tone.negative, tone and tone.polarity,
            tone and tone.activity, tone and tone.self_group, method, article.repeated_paragraphs,
            article.authors, article.body_is_summary, article.date_source, article.extraction_mode,
            article.source_path, article.file_sha256, article.record_idx, flow_run_id, ingested_at,
            PIPELINE_VERSION,
        ))
        ids: dict[tuple[str, str], str] = {}
        mention_rows = rows["mentions"]
        for m in ex.mentions:
            name, label = m.canonical or m.surface, m.entity_label or m.label
            eid = ids.get((name, label))
            if eid is None:
                eid = ids[(name, label)] = entity_id(name, label)
                entities.setdefault(eid, (eid, name, label))
            mention_rows.append((aid, eid, m.surface, label, m.label, m.sentence_idx, m.start_char,
                                 m.end_char, m.sentiment, method, m.sentiment_label))
        _add_refs_and_stances(rows, entities, ids, aid, ex, method)
        for q in ex.quotes:
            speaker_id = None
            if q.speaker and q.speaker_label:
                speaker_id = ids.get((q.speaker, q.speaker_label))
            rows["quotes"].append((
                aid, q.quote_idx, q.kind, q.text, q.speaker, speaker_id, q.verb, q.start_char,
                q.end_char, q.sentiment, method, q.quoted_start, q.quoted_end, q.sentiment_label,
                q.speaker_start, q.speaker_end,
            ))
        rows["amounts"].extend((aid, i, a.value, a.qualifier, a.object, a.surface, a.start_char, a.end_char)
                               for i, a in enumerate(ex.amounts))
        rows["sentences"].extend((aid, s.sentence_idx, s.start_char, s.end_char, s.sentiment, method,
                                  s.sentiment_label) for s in ex.sentences)
        rows["date_mentions"].extend((aid, d.surface, d.resolved, d.start_char, d.end_char) for d in ex.dates)
        rows["article_themes"].extend((aid, t.theme, t.hits, t.score) for t in ex.themes)
    rows["entities"] = list(entities.values())
    return Frames({name: _frame(rows[name], schema) for name, schema in _SCHEMAS.items()})


def _frame(rows: list[tuple], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Row tuples (in the schema's column order) as a frame; no rows: an empty frame of the schema."""
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


def _add_refs_and_stances(rows: dict[str, list[tuple]], entities: dict[str, tuple],
                          ids: dict[tuple[str, str], str], aid: str, ex: Extraction, method) -> None:
    """Rows of mention_refs and entity_stance for one article. A reference to an entity with
    no named mention (a group such as "Democrats") registers that entity, without a mention."""
    for r in ex.refs:
        eid = ids.get((r.name, r.label))
        if eid is None:
            eid = ids[(r.name, r.label)] = entity_id(r.name, r.label)
            entities.setdefault(eid, (eid, r.name, r.label))
        rows["mention_refs"].append((aid, eid, r.kind, r.surface, r.sentence_idx, r.start_char, r.end_char,
                                     r.sentiment, r.sentiment_label, method))
    for st in ex.stances:
        eid = ids.get((st.name, st.label))
        if eid is None:  # stances are computed for named entities only; anything else is a bug upstream
            raise ValueError(f"stance for {st.name!r} ({st.label}) which has no mention in article {aid}")
        rows["entity_stance"].append((aid, eid, st.score, st.stance, st.sentences, method))


def settle_failures(outcomes: list[FileOutcome],
                    extractions: list[Extraction]) -> tuple[list[FileOutcome], list[Extraction]]:
    """Take out the articles whose NLP or sentiment failed (Extraction.error set).

    A file left with no article is quarantined with the reason; in a multi-article file the
    failed record becomes a problem ("record 3: nlp failed: ...") and the rest loads.
    extractions are in the order of the outcomes' articles; both come back filtered alike.
    """
    it = iter(extractions)
    settled: list[FileOutcome] = []
    kept: list[Extraction] = []
    for o in outcomes:
        pairs = [(a, next(it)) for a in o.articles]
        failed = [(a, ex) for a, ex in pairs if ex.error is not None]
        if not failed:
            settled.append(o)
            kept.extend(ex for _, ex in pairs)
            continue
        good = [(a, ex) for a, ex in pairs if ex.error is None]
        if not good:
            more = f" (and {len(failed) - 1} more records)" if len(failed) > 1 else ""
            settled.append(replace(o, articles=[], error=f"{failed[0][1].error}{more}"))
            continue
        notes = [f"record {a.record_idx + 1}: {ex.error}" for a, ex in failed]
        settled.append(replace(o, articles=[a for a, _ in good], problems=[*o.problems, *notes]))
        kept.extend(ex for _, ex in good)
    if next(it, None) is not None:
        raise ValueError("more extractions than articles")
    return settled, kept
