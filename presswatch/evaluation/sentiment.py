"""Quality and speed of target sentiment on gold data: NewsMTSC devtest_mt and PerSenT dev.

Thresholds that turn continuous scores into 3 classes come from train data only: for the
classifier, from its file (chosen at training); for the lexicon, chosen here on NewsMTSC
train.jsonl with the same routine. Dev data is never used to choose anything.
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

import numpy as np

from presswatch.config import default
from presswatch.evaluation.newsmtsc import (
    Target,
    find_target,
    read_newsmtsc,
    read_persent,
    split_sentences,
)
from presswatch.evaluation.persent import eval_persent_stance, is_target, persent_extractions
from presswatch.evaluation.sentiment_training import (
    choose_thresholds,
    document_thresholds,
    macro_f1,
    to_classes,
)
from presswatch.extract.extraction import extract_articles
from presswatch.extract.pipeline import load_nlp
from presswatch.records import Article
from presswatch.sentiment.classifier import LABELS
from presswatch.sentiment.document import TargetMention, aggregate, entity_items
from presswatch.sentiment.score import lexicon_target_scores, load_classifier, target_scorer


@lru_cache(maxsize=4)
def lexicon_thresholds(eval_dir: Path) -> dict[str, tuple[float, float]]:
    """Thresholds for the lexicon target score, chosen on NewsMTSC train."""
    tr = read_newsmtsc(Path(eval_dir) / "newsmtsc" / "train.jsonl")
    s = np.asarray(lexicon_target_scores([(t.sentence, t.start, t.end) for t in tr]))
    y = np.array([t.label for t in tr])
    return {"target": choose_thresholds(s, y), "document": document_thresholds(s, y)}


def _thresholds(eval_dir: Path, used: str) -> dict[str, tuple[float, float]]:
    if used == "model":
        return load_classifier().thresholds
    if used == "transformer":  # chosen on held-out train articles, stored in its weights file
        from presswatch.sentiment import transformer

        return transformer.load_model().thresholds
    return lexicon_thresholds(Path(eval_dir))


def eval_newsmtsc(eval_dir: Path, method: str) -> list[dict]:
    used, classify, score = target_scorer(method)
    gold = read_newsmtsc(Path(eval_dir) / "newsmtsc" / "devtest_mt.jsonl")
    items = [(t.sentence, t.start, t.end) for t in gold]
    y = np.array([t.label for t in gold])
    t0 = time.perf_counter()
    if classify is not None:
        pred = classify(items).argmax(1)
    else:
        pred = to_classes(np.asarray(score(items)), _thresholds(eval_dir, used)["target"])
    secs = time.perf_counter() - t0
    task = f"newsmtsc devtest_mt ({used})"
    n = len(y)
    return [
        {"task": task, "metric": "macro_f1", "value": round(macro_f1(y, pred), 1), "n": n},
        {"task": task, "metric": "accuracy", "value": round(100.0 * float((pred == y).mean()), 1), "n": n},
        {"task": task, "metric": "targets_per_s", "value": round(n / secs), "n": n},
    ]


def persent_items(doc_text: str, target: str) -> list[tuple[str, int, int]]:
    """(sentence, start, end) of every string match of the target's name (rough sentences):
    the baseline protocol without the NLP stage (eval_persent(..., mentions="string"))."""
    mentions = find_target(doc_text, target)
    items = []
    for s, e in split_sentences(doc_text):
        for ms, me in mentions:
            if s <= ms and me <= e:
                items.append((doc_text[s:e], ms - s, me - s))
    return items


def persent_target_items(doc, ex, pronouns: bool = True) -> list[tuple[str, int, int]]:
    """Scoring items of the target entity, by the production document function: the
    entities whose canonical name matches the target (any label) are the target."""
    target = doc.target.strip()
    names = {m.canonical or m.surface for m in ex.mentions}
    exact = target in names
    ments = []
    for m in ex.mentions:
        name = m.canonical or m.surface
        is_t = name == target if exact else is_target(name, target)
        label = m.entity_label or m.label
        ments.append(TargetMention(m.start_char, m.end_char, ("<target>", "") if is_t else (name, label),
                                   is_t or label == "PERSON"))
    spans = [(s.start_char, s.end_char) for s in ex.sentences]
    ents = entity_items(doc.text, spans, ments, pronouns=pronouns)
    return ents[("<target>", "")].items if ("<target>", "") in ents else []


def eval_persent(eval_dir: Path, method: str, mentions: str = "pipeline", pronouns: bool = True,
                 model: str = default("model")) -> list[dict]:
    """Document stance toward its main entity, by the production document function.

    mentions="pipeline": the target's sentences as the pipeline finds them (spaCy entities,
    canonical names, pronoun coreference), mean target score, document thresholds.
    mentions="string": the baseline protocol (string matches of the name, rough sentences).
    """
    used, _, score = target_scorer(method)
    if mentions == "pipeline":
        docs, exs = persent_extractions(Path(eval_dir), model)
        per_doc = [persent_target_items(d, ex, pronouns) for d, ex in zip(docs, exs)]
    else:
        docs = read_persent(Path(eval_dir) / "persent" / "dev.csv")
        per_doc = [persent_items(d.text, d.target) for d in docs]
    flat = [it for items in per_doc for it in items]
    scores = np.asarray(score(flat)) if flat else np.zeros(0)
    doc_scores, k = [], 0
    for items in per_doc:
        doc_scores.append(aggregate(scores[k : k + len(items)]))
        k += len(items)
    y = np.array([d.label for d in docs])
    pred = to_classes(np.asarray(doc_scores), _thresholds(eval_dir, used)["document"])
    task = f"persent dev ({used})"
    n = len(y)
    return [
        {"task": task, "metric": "macro_f1", "value": round(macro_f1(y, pred), 1), "n": n},
        {"task": task, "metric": "accuracy", "value": round(100.0 * float((pred == y).mean()), 1), "n": n},
        {"task": task, "metric": "sentences_per_doc", "value": round(len(flat) / n, 1), "n": n},
    ]


@lru_cache(maxsize=2)
def newsmtsc_extractions(eval_dir: Path, model: str = default("model")):
    """(gold targets, {sentence: (article, extraction)}): NewsMTSC devtest_mt through the
    production NLP stage, each sentence an article (as in the issue's measurement)."""
    gold = read_newsmtsc(Path(eval_dir) / "newsmtsc" / "devtest_mt.jsonl")
    arts = [Article(title=None, body=s) for s in dict.fromkeys(t.sentence for t in gold)]
    exs = extract_articles(load_nlp(model), arts)
    return gold, {a.body: (a, ex) for a, ex in zip(arts, exs)}


def eval_newsmtsc_pipeline(eval_dir: Path, method: str, model: str = default("model")) -> list[dict]:
    """Gold targets as the pipeline sees them: a gold target is found when a stored mention or
    reference (mention_refs) overlaps it; its class is that row's stored sentiment_label; a
    missing target counts as neutral."""
    from copy import deepcopy

    from presswatch.sentiment.score import score_batch

    gold, by_sentence = newsmtsc_extractions(Path(eval_dir), model)
    arts = [a for a, _ in by_sentence.values()]
    exs = [deepcopy(ex) for _, ex in by_sentence.values()]  # scoring fills them in place
    score_batch(arts, exs, method)
    scored = {a.body: [(r.start_char, r.end_char, r.sentiment_label) for r in (*ex.mentions, *ex.refs)]
              for a, ex in zip(arts, exs)}
    task = f"newsmtsc devtest_mt through the pipeline ({exs[0].sentiment_method if exs else method})"
    return score_found_targets(gold, scored, task)


def score_found_targets(gold: list[Target], rows: dict[str, list[tuple[int, int, str | None]]],
                        task: str) -> list[dict]:
    """Found ratio and macro-F1 of gold targets against the (start, end, sentiment_label) rows
    stored for their sentence: a target is found when a row overlaps it (the largest overlap
    gives its class); a missing target, or a row without a class, counts as neutral."""
    y, pred, found = [], [], []
    for t in gold:
        hits = [(min(end, t.end) - max(start, t.start), label)
                for start, end, label in rows.get(t.sentence, []) if start < t.end and t.start < end]
        label = max(hits, key=lambda h: h[0])[1] if hits else None
        found.append(bool(hits))
        y.append(t.label)
        pred.append(LABELS.index(label) if label is not None else 1)
    y, pred, found = np.array(y), np.array(pred), np.array(found)
    n = len(y)
    return [
        {"task": task, "metric": "found_pct", "value": round(100.0 * float(found.mean()), 1), "n": n},
        {"task": task, "metric": "macro_f1", "value": round(macro_f1(y, pred), 1), "n": n},
        {"task": task, "metric": "macro_f1_found", "value": round(macro_f1(y[found], pred[found]), 1),
         "n": int(found.sum())},
    ]


def run_sentiment_eval(eval_dir: Path, method: str = "model", model: str = default("model")) -> list[dict]:
    """Rows {task, metric, value, n} for `presswatch eval`: NewsMTSC on gold targets and
    through the pipeline, PerSenT dev by the mean-score rule and by the stance model (CV)."""
    return (eval_newsmtsc(eval_dir, method) + eval_newsmtsc_pipeline(eval_dir, method, model)
            + eval_persent(eval_dir, method, model=model) + eval_persent_stance(eval_dir, method, model))
