"""Canonical entities on GUM news: pairwise P/R/F1 of same-entity mention pairs.

GUM annotates every mention (pronouns, common nouns); presswatch finds named ones. So the
score is over predicted mentions aligned to a gold mention (same end, gold start at or
before ours: "US President Donald Trump" holds "Donald Trump"): a pair is gold-positive
when both share a GUM entity id, predicted-positive when both share a canonical name."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

from spacy.language import Language

from presswatch.evaluation.metrics import prf, rows
from presswatch.records import Article
from presswatch.extract.extraction import extract_articles

_ENTITY = re.compile(r"\((\d+)-[^()]*\)|\((\d+)-[^()]*|(\d+)\)")


def read_gum(path: Path) -> tuple[str, list[tuple[int, int, str]]]:
    """Text (paragraphs joined by blank lines) and gold mentions (start, end, entity id)."""
    pieces: list[str] = []
    pos = 0
    mentions: list[tuple[int, int, str]] = []
    stack: dict[str, list[int]] = {}
    space_after = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") and not line.startswith("# newpar_") and pieces:
            pieces.append("\n\n")
            pos += 2
            space_after = False
            continue
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        if pieces and space_after and not pieces[-1].endswith("\n"):
            pieces.append(" ")
            pos += 1
        start, form = pos, cols[1]
        pieces.append(form)
        pos += len(form)
        misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
        space_after = misc.get("SpaceAfter") != "No"
        for single, opened, closed in _ENTITY.findall(misc.get("Entity", "")):
            if single:
                mentions.append((start, pos, single))
            elif opened:
                stack.setdefault(opened, []).append(start)
            elif closed and stack.get(closed):
                mentions.append((stack[closed].pop(), pos, closed))
    return "".join(pieces), mentions


def evaluate(nlp: Language, folder: Path) -> list[dict]:
    files = sorted(folder.glob("*.conllu"))
    data = [read_gum(f) for f in files]
    xs = extract_articles(nlp, [Article(title=None, body=text) for text, _ in data])
    tp = n_pred = n_gold = aligned = total = 0
    for (_text, gold), x in zip(data, xs):
        pairs = []
        for m in x.mentions:
            total += 1
            cands = [g for g in gold if g[1] == m.end_char and g[0] <= m.start_char]
            if cands:
                aligned += 1
                pairs.append((m.canonical, min(cands, key=lambda g: g[1] - g[0])[2]))
        for (c1, g1), (c2, g2) in combinations(pairs, 2):
            same_pred, same_gold = c1 == c2, g1 == g2
            n_pred += same_pred
            n_gold += same_gold
            tp += same_pred and same_gold
    out = rows("canonical_gum", *prf(tp, n_pred, n_gold), n_gold, prefix="pair_")
    out.append({"task": "canonical_gum", "metric": "aligned_mentions",
                "value": round(100 * aligned / total, 1) if total else 0.0, "n": total})
    return out
