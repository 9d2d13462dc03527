"""Quotes on PolNeAR (primary annotations), scored with the rule of ../shared/eval/README.md.

Gold direct quote: an attribution whose content starts with, or is enclosed by, a quotation
mark; "who said what" takes every attribution. Texts are compared as lower-case word tokens:
a prediction matches a gold content when it covers >= 50% of the gold's tokens in runs of
>= 3 tokens (or the whole gold when it is shorter), each prediction matching at most one gold
on the recall side. Content precision: share of predictions that overlap some gold by that
rule in either direction. The speaker is right when the gold source's name tokens (minus
titles, "the", "of") meet the predicted speaker's surface or canonical name, or, for a
pronoun source, when the prediction's speaker was resolved to an entity. End-to-end: the
match plus the right speaker, on the recall and on the precision side.

Direct quotes are scored against rows of kind `direct`, who-said-what against every row."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from presswatch.evaluation.metrics import prf, rows
from presswatch.records import Article, Quote
from presswatch.extract.extraction import extract_articles

QUOTE_MARKS = "\"“”'‘’"
RUN = 3  # shared tokens count only in runs this long (shorter golds must be covered whole)
_WORD = re.compile(r"\w+")
TITLES = frozenset("the of mr mrs ms miss dr sen rep gov gen rev sir".split())
PRONOUNS = frozenset("he she they it we i you him her them us who".split())
BASELINE = Path(__file__).with_name("polnear_baseline.json")


@dataclass
class Gold:
    chars: set[int]
    source: list[tuple[int, int]]
    source_text: str
    direct: bool
    tokens: list[str] = field(default_factory=list)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


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
    spans = sorted(tuple(s) for part in attribution["content"] for s in part["spans"])
    chars = {i for a, b in spans for i in range(a, b)}
    first, last = spans[0][0], max(b for _, b in spans)
    content = text[first:last].strip()
    enclosed = first > 0 and text[first - 1] in QUOTE_MARKS and text[last: last + 1] in QUOTE_MARKS
    direct = content[:1] in QUOTE_MARKS or enclosed
    source = [tuple(s) for part in attribution["source"] for s in part["spans"]]
    source_text = " ".join(part["text"] for part in attribution["source"])
    tokens = [w for a, b in spans for w in words(text[a:b])]
    return Gold(chars, source, source_text, direct, tokens)


def covered(gold: list[str], pred: list[str]) -> float:
    """Share of `gold`'s tokens that `pred` shares in runs of >= RUN tokens; a gold shorter
    than RUN counts as covered only when it appears whole in `pred`."""
    if not gold:
        return 0.0
    if len(gold) < RUN:
        n = len(gold)
        return float(any(pred[j: j + n] == gold for j in range(len(pred) - n + 1)))
    grams = {tuple(pred[j: j + RUN]) for j in range(len(pred) - RUN + 1)}
    hit = set()
    for i in range(len(gold) - RUN + 1):
        if tuple(gold[i: i + RUN]) in grams:
            hit.update(range(i, i + RUN))
    return len(hit) / len(gold)


def speaker_right(q: Quote, g: Gold, body: str = "") -> bool:
    gold = set(words(g.source_text))
    if gold and gold <= PRONOUNS:
        return q.speaker_label is not None  # the pronoun was resolved to an entity
    names = set(words(q.speaker or ""))
    if body and q.speaker_start is not None and q.speaker_end is not None:
        names |= set(words(body[q.speaker_start: q.speaker_end]))
    return bool((gold - TITLES) & (names - TITLES))


def score(preds: list[list[Quote]], golds: list[list[Gold]], kind: str,
          bodies: list[str] | None = None) -> dict[str, float]:
    """kind: "direct" (direct golds against `direct` rows) or "all" (every gold, every row)."""
    n_pred = n_gold = content_tp_pred = content_tp_gold = e2e_tp_pred = e2e_tp_gold = 0
    bodies = bodies or [""] * len(preds)
    for qs, gs, body in zip(preds, golds, bodies):
        if kind == "direct":
            qs = [q for q in qs if q.kind == "direct"]
            gs = [g for g in gs if g.direct]
        n_pred += len(qs)
        n_gold += len(gs)
        qtoks = [words(q.text) for q in qs]
        used: set[int] = set()
        for g in gs:
            cover = {i: covered(g.tokens, t) for i, t in enumerate(qtoks) if i not in used}
            matched = [i for i, c in cover.items() if c >= 0.5]
            if matched:
                best = max(matched, key=lambda i: cover[i])
                used.add(best)
                content_tp_gold += 1
                e2e_tp_gold += speaker_right(qs[best], g, body)
        for q, t in zip(qs, qtoks):
            hits = [g for g in gs if covered(g.tokens, t) >= 0.5 or covered(t, g.tokens) >= 0.5]
            content_tp_pred += bool(hits)
            e2e_tp_pred += any(speaker_right(q, g, body) for g in hits)
    p, r, f = prf(content_tp_pred, n_pred, n_gold)
    r = content_tp_gold / n_gold if n_gold else 0.0
    ep = e2e_tp_pred / n_pred if n_pred else 0.0
    er = e2e_tp_gold / n_gold if n_gold else 0.0
    return {
        "p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0,
        "ep": ep, "er": er, "ef": 2 * ep * er / (ep + er) if ep + er else 0.0,
        "speaker_acc": e2e_tp_gold / content_tp_gold if content_tp_gold else 0.0,
        "n_gold": n_gold, "n_pred": n_pred, "matched": content_tp_gold,
    }


def figures(preds: list[list[Quote]], golds: list[list[Gold]], bodies: list[str]) -> list[dict]:
    """The rows `presswatch eval quotes` prints: direct and who-said-what, then counts."""
    out = []
    for kind, task in (("direct", "quotes_direct"), ("all", "quotes_who_said_what")):
        s = score(preds, golds, kind, bodies)
        out += rows(task, s["p"], s["r"], s["f"], s["n_gold"], prefix="content_")
        out.append({"task": task, "metric": "speaker_accuracy",
                    "value": round(100 * s["speaker_acc"], 1), "n": s["matched"]})
        out += rows(task, s["ep"], s["er"], s["ef"], s["n_gold"], prefix="e2e_")
    kinds = Counter(q.kind for qs in preds for q in qs)
    for k in sorted(kinds):
        out.append({"task": "quotes_rows", "metric": f"{k}_rows", "value": kinds[k], "n": len(preds)})
    gold_direct = sum(g.direct for gs in golds for g in gs)
    gold_all = sum(len(gs) for gs in golds)
    out.append({"task": "quotes_gold", "metric": "direct", "value": gold_direct, "n": len(golds)})
    out.append({"task": "quotes_gold", "metric": "other", "value": gold_all - gold_direct, "n": len(golds)})
    return out


def with_baseline(out: list[dict], path: Path = BASELINE) -> list[dict]:
    """Each row gains `before`: the same figure stored in the baseline file (if any)."""
    if not path.is_file():
        return out
    stored = json.loads(path.read_text())
    before = {(r["task"], r["metric"]): r["value"] for r in stored["rows"]}
    label = stored.get("commit", "baseline")
    return [{**r, "before": before.get((r["task"], r["metric"])), "before_label": label} for r in out]


def evaluate(nlp: Language, path: Path, limit=None, baseline: Path | None = BASELINE) -> list[dict]:
    data = read_polnear(path, limit)
    bodies = [text for text, _ in data]
    xs = extract_articles(nlp, [Article(title=None, body=text) for text in bodies])
    out = figures([x.quotes for x in xs], [gs for _, gs in data], bodies)
    return with_baseline(out, baseline) if baseline is not None else out
