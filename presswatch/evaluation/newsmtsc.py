"""Readers for the gold sets in the shared eval folder (read in place, never copied)."""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# NewsMTSC polarity codes -> class index, in the order of presswatch.sentiment.classifier.LABELS.
NEWSMTSC_LABELS = {2.0: 0, 4.0: 1, 6.0: 2}
PERSENT_LABELS = {"Negative": 0, "Neutral": 1, "Positive": 2}


@dataclass
class Target:
    sentence: str
    start: int
    end: int  # exclusive
    label: int  # 0 negative, 1 neutral, 2 positive
    group: str  # article-level id: folds and pseudo-documents never split an article
    entity: str  # the target's name as in NewsMTSC's gid (groups mentions of one person)


def read_newsmtsc(path: Path) -> list[Target]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            parts = d["primary_gid"].split("_")
            group = "_".join(parts[:3])  # allsides_<article>_<story>
            for t in d["targets"]:
                tp = t["Input.gid"].split("_")
                entity = tp[4] if len(tp) > 6 else t["mention"]
                out.append(
                    Target(d["sentence_normalized"], t["from"], t["to"],
                           NEWSMTSC_LABELS[t["polarity"]], group, entity)
                )
    return out


@dataclass
class Document:
    text: str
    target: str
    label: int
    title: str | None = None  # PerSenT's TITLE: the headline, an input of the stance model


def read_persent(path: Path) -> list[Document]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            Document(r["DOCUMENT"], r["TARGET_ENTITY"], PERSENT_LABELS[r["TRUE_SENTIMENT"]],
                     (r.get("TITLE") or "").strip() or None)
            for r in csv.DictReader(fh)
        ]


_SENT_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘(]?[A-Z])|\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Rough (start, end) sentence spans: enough to give each mention its context."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def find_target(text: str, name: str) -> list[tuple[int, int]]:
    """Mentions of a person in a document, as an NER+alias step would find them: the full
    name, else any of its capitalized parts longer than 2 letters (surnames, first names)."""
    parts = [p for p in re.split(r"\s+", name.strip()) if len(p) > 2 and p[0].isupper()]
    alts = sorted({name.strip(), *parts}, key=len, reverse=True)
    if not alts:
        return []
    pat = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alts) + r")\b")
    return [(m.start(), m.end()) for m in pat.finditer(text)]
