"""NER on CoNLL-2003 (IOB2): exact-span micro P/R/F1 through the project's extraction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from presswatch.evaluation.metrics import prf, rows
from presswatch.records import Article
from presswatch.extract.extraction import extract_articles

# spaCy (OntoNotes) label -> CoNLL label, as the eval README maps them.
TO_CONLL = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
    "LAW": "MISC", "LANGUAGE": "MISC",
}


@dataclass
class ConllDoc:
    text: str
    gold: set[tuple[int, int, str]] = field(default_factory=set)
    caps_sentences: list[tuple[int, int]] = field(default_factory=list)  # ALL-CAPS lines


def read_conll(path: Path) -> list[ConllDoc]:
    """One document per -DOCSTART-; tokens joined by spaces, one sentence per line."""
    docs: list[ConllDoc] = []
    sents: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []

    def flush_doc() -> None:
        if current:
            sents.append(list(current))
            current.clear()
        if sents:
            docs.append(_build(sents))
            sents.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            flush_doc()
        elif not line.strip():
            if current:
                sents.append(list(current))
                current.clear()
        else:
            parts = line.split()
            current.append((parts[0], parts[-1]))
    flush_doc()
    return docs


def _build(sents: list[list[tuple[str, str]]]) -> ConllDoc:
    doc = ConllDoc(text="")
    pieces: list[str] = []
    pos = 0
    for sent in sents:
        sent_start = pos
        open_span: tuple[int, str] | None = None
        end = pos
        for i, (tok, tag) in enumerate(sent):
            if i:
                pieces.append(" ")
                pos += 1
            start = pos
            pieces.append(tok)
            pos += len(tok)
            if open_span and not (tag.startswith("I-") and tag[2:] == open_span[1]):
                doc.gold.add((open_span[0], end, open_span[1]))
                open_span = None
            if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
                open_span = (start, tag[2:])
            end = pos
        if open_span:
            doc.gold.add((open_span[0], end, open_span[1]))
        letters = [c for c in "".join(t for t, _ in sent) if c.isalpha()]
        if len(letters) >= 4 and all(c.isupper() for c in letters):
            doc.caps_sentences.append((sent_start, pos))
        pieces.append("\n")
        pos += 1
    doc.text = "".join(pieces)
    return doc


def predicted_spans(nlp: Language, docs: list[ConllDoc]) -> list[set[tuple[int, int, str]]]:
    articles = [Article(title=None, body=d.text) for d in docs]
    out = []
    for x in extract_articles(nlp, articles):
        out.append({
            (m.start_char, m.end_char, TO_CONLL[m.entity_label or m.label])
            for m in x.mentions
            if (m.entity_label or m.label) in TO_CONLL
        })
    return out


def evaluate(nlp: Language, path: Path) -> list[dict]:
    docs = read_conll(path)
    preds = predicted_spans(nlp, docs)
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    caps_tp = caps_gold = 0
    for doc, pred in zip(docs, preds):
        for s in pred:
            n_pred[s[2]] += 1
        for g in doc.gold:
            n_gold[g[2]] += 1
            hit = g in pred
            tp[g[2]] += hit
            if any(a <= g[0] < b for a, b in doc.caps_sentences):
                caps_gold += 1
                caps_tp += hit
    out = rows("ner_conll", *prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())),
               sum(n_gold.values()))
    for label in sorted(n_gold):
        out += rows("ner_conll", *prf(tp[label], n_pred[label], n_gold[label]), n_gold[label],
                    prefix=f"{label}_")
    out.append({"task": "ner_conll", "metric": "allcaps_recall",
                "value": round(100 * caps_tp / caps_gold, 1) if caps_gold else 0.0, "n": caps_gold})
    return out
