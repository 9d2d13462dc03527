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
    rows: dict[str, list[dict]] = {name: [] for name in _SCHEMAS}
    entities: dict[str, dict] = {}
    seen: set[str] = set()
    for article, ex in pairs:
        aid = ex.article_id
        if aid in seen:  # one article in two files of a batch: the first one wins
            continue
        seen.add(aid)
        method = ex.sentiment_method
        tone = ex.tone
        rows["articles"].append({
            "article_id": aid, "title": article.title, "published_at": article.published_at,
            "source": article.source, "language": article.language, "url": article.url,
            "body": article.body, "word_count": tone.word_count if tone else article.word_count,
            "tone": tone and tone.tone, "positive": tone and tone.positive,
            "negative": tone and tone.negative, "polarity": tone and tone.polarity,
            "activity": tone and tone.activity, "self_group": tone and tone.self_group,
            "sentiment_method": method, "repeated_paragraphs": article.repeated_paragraphs,
            "authors": article.authors, "body_is_summary": article.body_is_summary,
            "date_source": article.date_source, "extraction_mode": article.extraction_mode,
            "source_path": article.source_path, "file_sha256": article.file_sha256,
            "record_idx": article.record_idx, "flow_run_id": flow_run_id,
            "ingested_at": ingested_at, "pipeline_version": PIPELINE_VERSION,
        })
        ids: dict[tuple[str, str], str] = {}
        for m in ex.mentions:
            name, label = m.canonical or m.surface, m.entity_label or m.label
            eid = ids.setdefault((name, label), entity_id(name, label))
            entities.setdefault(eid, {"entity_id": eid, "name": name, "label": label})
            rows["mentions"].append({
                "article_id": aid, "entity_id": eid, "surface": m.surface, "label": label,
                "ner_label": m.label, "sentence_idx": m.sentence_idx, "start_char": m.start_char,
                "end_char": m.end_char, "sentiment": m.sentiment, "sentiment_method": method,
                "sentiment_label": m.sentiment_label,
            })
        _add_refs_and_stances(rows, entities, ids, aid, ex, method)
        for q in ex.quotes:
            speaker_id = None
            if q.speaker and q.speaker_label:
                speaker_id = ids.get((q.speaker, q.speaker_label))
            rows["quotes"].append({
                "article_id": aid, "quote_idx": q.quote_idx, "kind": q.kind, "text": q.text,
                "speaker": q.speaker, "speaker_entity_id": speaker_id, "verb": q.verb,
                "start_char": q.start_char, "end_char": q.end_char, "sentiment": q.sentiment,
                "sentiment_method": method, "quoted_start": q.quoted_start, "quoted_end": q.quoted_end,
                "sentiment_label": q.sentiment_label, "speaker_start": q.speaker_start, "speaker_end": q.speaker_end,
            })
        for i, a in enumerate(ex.amounts):
            rows["amounts"].append({
                "article_id": aid, "amount_idx": i, "value": a.value, "qualifier": a.qualifier,
                "object": a.object, "surface": a.surface, "start_char": a.start_char,
                "end_char": a.end_char,
            })
        for s in ex.sentences:
            rows["sentences"].append({
                "article_id": aid, "sentence_idx": s.sentence_idx, "start_char": s.start_char,
                "end_char": s.end_char, "sentiment": s.sentiment, "sentiment_method": method,
                "sentiment_label": s.sentiment_label,
            })
        for d in ex.dates:
            rows["date_mentions"].append({
                "article_id": aid, "surface": d.surface, "resolved": d.resolved,
                "start_char": d.start_char, "end_char": d.end_char,
            })
        for t in ex.themes:
            rows["article_themes"].append(
                {"article_id": aid, "theme": t.theme, "hits": t.hits, "score": t.score})
    rows["entities"] = list(entities.values())
    return Frames({name: pl.DataFrame(rows[name], schema=schema, orient="row")
                   if rows[name] else pl.DataFrame(schema=schema)
                   for name, schema in _SCHEMAS.items()})


def _add_refs_and_stances(rows: dict[str, list[dict]], entities: dict[str, dict],
                          ids: dict[tuple[str, str], str], aid: str, ex: Extraction, method) -> None:
    """Rows of mention_refs and entity_stance for one article. A reference to an entity with
    no named mention (a group such as "Democrats") registers that entity, without a mention."""
    for r in ex.refs:
        eid = ids.setdefault((r.name, r.label), entity_id(r.name, r.label))
        entities.setdefault(eid, {"entity_id": eid, "name": r.name, "label": r.label})
        rows["mention_refs"].append({
            "article_id": aid, "entity_id": eid, "kind": r.kind, "surface": r.surface,
            "sentence_idx": r.sentence_idx, "start_char": r.start_char, "end_char": r.end_char,
            "sentiment": r.sentiment, "sentiment_label": r.sentiment_label, "sentiment_method": method,
        })
    for st in ex.stances:
        eid = ids.get((st.name, st.label))
        if eid is None:  # stances are computed for named entities only; anything else is a bug upstream
            raise ValueError(f"stance for {st.name!r} ({st.label}) which has no mention in article {aid}")
        rows["entity_stance"].append({
            "article_id": aid, "entity_id": eid, "score": st.score, "stance": st.stance,
            "sentences": st.sentences, "sentiment_method": method,
        })


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
