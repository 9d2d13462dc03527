"""Quotes on PolNeAR (primary annotations): direct quotes, their speakers, indirect quotes.

Gold direct quote: an attribution whose content starts with, or is enclosed by, a quotation
mark. A prediction matches a gold content when it covers >= 50% of its characters. A
prediction counts as correct for precision when it matches a gold content or lies >= 50%
inside one (a quote split by "he said" is two predictions for one gold content). The speaker
is right when its span overlaps the gold source span or its name shares a name word with
the gold source text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from presswatch.evaluation.metrics import prf, rows
from presswatch.records import Article, Quote
from presswatch.extract.extraction import extract_articles

QUOTE_MARKS = "\"“”'‘’"
_NOT_NAMES = {"the", "a", "an", "of", "mr", "mrs", "ms", "dr", "and", "his", "her", "their"}


@dataclass
class Gold:
    chars: set[int]
    source: list[tuple[int, int]]
    source_text: str
    direct: bool


def read_polnear(path: Path, limit: int | None = None) -> list[tuple[str, list[Gold]]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if not rec.get("primary_annotation"):
                continue
            text = rec["text"]
            out.append((text, [_gold(text, a) for a in rec["attributions"] if a["content"]]))
            if limit and len(out) >= limit:
                break
    return out


def _gold(text: str, attribution: dict) -> Gold:
    spans = [tuple(s) for part in attribution["content"] for s in part["spans"]]
    chars = {i for a, b in spans for i in range(a, b)}
    first, last = min(a for a, _ in spans), max(b for _, b in spans)
    content = text[first:last].strip()
    enclosed = first > 0 and text[first - 1] in QUOTE_MARKS and text[last: last + 1] in QUOTE_MARKS
    direct = content[:1] in QUOTE_MARKS or enclosed
    source = [tuple(s) for part in attribution["source"] for s in part["spans"]]
    source_text = " ".join(part["text"] for part in attribution["source"])
    return Gold(chars, source, source_text, direct)


def speaker_right(q: Quote, g: Gold) -> bool:
    if q.speaker_start is not None and any(
        q.speaker_start < b and a < q.speaker_end for a, b in g.source
    ):
        return True
    return bool(_name_words(q.speaker or "") & _name_words(g.source_text))


def _name_words(text: str) -> set[str]:
    words = {w.strip(".,'’\"“”").lower() for w in text.split()}
    return {w for w in words if len(w) > 1 and w not in _NOT_NAMES}


def score(preds: list[list[Quote]], golds: list[list[Gold]], kind: str) -> dict[str, float]:
    n_pred = n_gold = content_tp_pred = content_tp_gold = e2e_tp_pred = e2e_tp_gold = 0
    speaker_ok = 0
    want_direct = kind == "direct"
    for qs, gs in zip(preds, golds):
        qs = [q for q in qs if q.kind == kind]
        gs = [g for g in gs if g.direct == want_direct]
        n_pred += len(qs)
        n_gold += len(gs)
        qchars = [set(range(q.start_char, q.end_char)) for q in qs]
        for g in gs:
            cover = [len(c & g.chars) / len(g.chars) for c in qchars]
            matched = [i for i, c in enumerate(cover) if c >= 0.5]
            if matched:
                content_tp_gold += 1
                best = max(matched, key=lambda i: cover[i])
                right = speaker_right(qs[best], g)
                speaker_ok += right
                e2e_tp_gold += right
        for q, c in zip(qs, qchars):
            if not c:
                continue
            hits = [g for g in gs
                    if len(c & g.chars) >= 0.5 * len(g.chars) or len(c & g.chars) >= 0.5 * len(c)]
            content_tp_pred += bool(hits)
            e2e_tp_pred += any(speaker_right(q, g) for g in hits)
    p, _, _ = prf(content_tp_pred, n_pred, n_gold)
    _, r, _ = prf(content_tp_gold, n_pred, n_gold)
    ep, _, _ = prf(e2e_tp_pred, n_pred, n_gold)
    _, er, _ = prf(e2e_tp_gold, n_pred, n_gold)
    return {
        "p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0,
        "ep": ep, "er": er, "ef": 2 * ep * er / (ep + er) if ep + er else 0.0,
        "speaker_acc": speaker_ok / content_tp_gold if content_tp_gold else 0.0,
        "n_gold": n_gold, "n_pred": n_pred, "matched": content_tp_gold,
    }


def evaluate(nlp: Language, path: Path, kinds=("direct", "indirect"), limit=None) -> list[dict]:
    data = read_polnear(path, limit)
    xs = extract_articles(nlp, [Article(title=None, body=text) for text, _ in data])
    preds = [x.quotes for x in xs]
    golds = [gs for _, gs in data]
    out = []
    for kind in kinds:
        s = score(preds, golds, kind)
        task = f"quotes_{kind}"
        out += rows(task, s["p"], s["r"], s["f"], s["n_gold"], prefix="content_")
        out.append({"task": task, "metric": "speaker_accuracy",
                    "value": round(100 * s["speaker_acc"], 1), "n": s["matched"]})
        out += rows(task, s["ep"], s["er"], s["ef"], s["n_gold"], prefix="e2e_")
    return out
