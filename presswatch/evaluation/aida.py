"""Cross-document entity resolution on AIDA CoNLL-YAGO (../shared/eval/aida): every document
goes through the real pipeline as an article (extract -> presswatch.load frames -> entity ids),
the collection's entities are resolved like an archive (presswatch.entities), and the canonical
ids are scored against the gold Wikipedia pages with B-cubed (README of the eval folder)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from presswatch.entities import Rules, Watchlist, resolve
from presswatch.entities.cues import cue_counts
from presswatch.entities.resolve import demonym_links
from presswatch.evaluation.metrics import rows
from presswatch.evaluation.stored_text import stored_offsets
from presswatch.load import to_frames
from presswatch.records import Article


def read_aida(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def extract_frames(nlp, docs: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(mentions, entities) frames of the documents, as the load stage makes them; the
    mentions carry the document's index in `doc`."""
    from presswatch.extract.extraction import extract_articles

    articles = [Article(title=None, body=d["text"]) for d in docs]
    pairs = list(zip(articles, extract_articles(nlp, articles)))
    frames = to_frames(pairs, flow_run_id="aida", ingested_at=datetime.now(timezone.utc))
    index = pl.DataFrame({"article_id": [a.article_id for a in articles], "doc": range(len(articles))})
    # Byte-identical documents are one article: each keeps its own gold, both read its mentions.
    mentions = frames["mentions"].join(index, on="article_id")
    return mentions, frames["entities"]


def canonical_ids(docs: list[dict], mentions: pl.DataFrame, entities: pl.DataFrame, *, resolved: bool = True,
                  watchlist: Watchlist | None = None, rules: Rules | None = None,
                  follow_links: bool = False) -> pl.DataFrame:
    """mentions with a `cluster` column: the canonical id (or the raw entity id). The entity
    table gets what warehouse/entities.py gives the rules: mention counts and context cues."""
    if not resolved:
        return mentions.with_columns(cluster=pl.col("entity_id"))
    counts = mentions.group_by("entity_id").agg(mentions=pl.len())
    texts = pl.DataFrame({"doc": range(len(docs)), "body": [d["text"] for d in docs]},
                         schema={"doc": mentions.schema["doc"], "body": pl.String})
    start = pl.max_horizontal(pl.col("start_char") - 24, pl.lit(0))
    contexts = (mentions.filter(pl.col("label").is_in(["PERSON", "GPE", "NORP"])).join(texts, on="doc")
                .select("entity_id", before=pl.col("body").str.slice(start, pl.col("start_char") - start),
                        after=pl.col("body").str.slice(pl.col("end_char"), 24)))
    surfaces = (mentions.join(entities.select("entity_id", "name"), on="entity_id")
                .filter(pl.col("surface") != pl.col("name")).select("entity_id", "surface").unique())
    table = resolve(entities.join(counts, on="entity_id").join(cue_counts(contexts), on="entity_id", how="left"),
                    watchlist, rules, surfaces)
    if follow_links:  # AIDA links a demonym to its country's page: score the link as the same entity
        links = demonym_links(table).select("entity_id", "related_id")
        table = (table.join(links, left_on="canonical_id", right_on="entity_id", how="left", suffix="_l")
                 .with_columns(canonical_id=pl.coalesce("related_id", "canonical_id")))
    return mentions.join(table.select("entity_id", cluster="canonical_id"), on="entity_id")


def score(docs: list[dict], mentions: pl.DataFrame) -> dict[str, float]:
    """B-cubed P/R/F1 over every linked gold mention and over pages named in 2+ documents,
    ids per such page, found rate. A gold mention takes the cluster of the predicted mention
    overlapping it most; none: a singleton of its own."""
    by_doc: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for doc, start, end, cluster in mentions.select("doc", "start_char", "end_char", "cluster").iter_rows():
        by_doc[doc].append((start, end, cluster))
    gold: list[tuple[str, str, int]] = []  # (page, cluster, doc)
    found = 0
    for i, d in enumerate(docs):
        for g in d["mentions"]:
            if not g.get("wiki"):
                continue
            best, overlap = None, 0
            for start, end, cluster in by_doc.get(i, ()):
                o = min(end, g["end"]) - max(start, g["start"])
                if o > overlap:
                    best, overlap = cluster, o
            found += best is not None
            gold.append((g["wiki"], best if best is not None else f"missing:{i}:{g['start']}", i))
    docs_per_page: dict[str, set[int]] = defaultdict(set)
    for page, _, doc in gold:
        docs_per_page[page].add(doc)
    cross = [m for m in gold if len(docs_per_page[m[0]]) >= 2]
    out = {"found": 100 * found / len(gold) if gold else 0.0, "gold_mentions": len(gold)}
    for name, part in (("all", gold), ("cross", cross)):
        p, r = _bcubed(part)
        out[f"{name}_p"], out[f"{name}_r"] = p, r
        out[f"{name}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    ids = defaultdict(set)
    for page, cluster, _ in cross:
        ids[page].add(cluster)
    out["ids_per_entity"] = sum(len(v) for v in ids.values()) / len(ids) if ids else 0.0
    out["pages"] = len(ids)
    return out


def _bcubed(mentions: list[tuple[str, str, int]]) -> tuple[float, float]:
    if not mentions:
        return 0.0, 0.0
    both = Counter((page, cluster) for page, cluster, _ in mentions)
    pages = Counter(page for page, _, _ in mentions)
    clusters = Counter(cluster for _, cluster, _ in mentions)
    p = sum(n * n / clusters[c] for (_, c), n in both.items()) / len(mentions)
    r = sum(n * n / pages[g] for (g, _), n in both.items()) / len(mentions)
    return p, r


def evaluate(nlp, path: Path, watchlist: Watchlist | None = None) -> list[dict]:
    """Rows for `presswatch eval entities`: the raw ids (sha256(label|name)) and the resolved ones."""
    docs = read_aida(path)
    mentions, entities = extract_frames(nlp, docs)
    out: list[dict] = []
    split = path.stem.removeprefix("aida_")
    # raw ids; canonical ids; canonical ids with demonyms scored as their country (AIDA's gold)
    for suffix, resolved, follow in (("_raw_ids", False, False), ("", True, False), ("_with_links", True, True)):
        s = score(docs, canonical_ids(docs, mentions, entities, resolved=resolved, watchlist=watchlist,
                                      follow_links=follow))
        out += figures(f"entities_aida_{split}{suffix}", s)
    return out


def figures(task: str, s: dict[str, float]) -> list[dict]:
    """The rows `presswatch eval entities` prints for one scoring (`score`'s dict)."""
    out = rows(task, s["all_p"], s["all_r"], s["all_f1"], s["gold_mentions"], prefix="bcubed_")
    out += rows(task, s["cross_p"], s["cross_r"], s["cross_f1"], s["pages"], prefix="cross_doc_bcubed_")
    out.append({"task": task, "metric": "ids_per_entity", "value": round(s["ids_per_entity"], 2), "n": s["pages"]})
    out.append({"task": task, "metric": "found_rate", "value": round(s["found"], 1), "n": s["gold_mentions"]})
    return out


def score_stored(docs: list[dict], stored: dict[int, str], mentions: pl.DataFrame) -> dict[str, float]:
    """`score` over mentions read back from a warehouse: mentions has doc, start_char, end_char
    (offsets into `stored[doc]`, the text the warehouse holds) and cluster."""
    out = []
    for (doc,), part in mentions.partition_by("doc", as_dict=True, maintain_order=True).items():
        spans = stored_offsets(docs[doc]["text"], stored[doc], list(zip(part["start_char"], part["end_char"])))
        out += [(doc, span[0], span[1], cluster) for span, cluster in zip(spans, part["cluster"]) if span]
    schema = {"doc": pl.Int64, "start_char": pl.Int64, "end_char": pl.Int64, "cluster": pl.String}
    return score(docs, pl.DataFrame(out, schema=schema, orient="row"))


def run_entities_eval(eval_dir: Path, nlp_name: str, watchlist: Watchlist | None = None,
                      splits: tuple[str, ...] = ("testa",)) -> list[dict]:
    """`presswatch eval entities`: the dev split (aida_testa) by default; aida_train is where
    the rules' thresholds were checked (never a test split)."""
    from presswatch.extract.pipeline import load_nlp

    nlp = load_nlp(nlp_name)
    out: list[dict] = []
    for split in splits:
        out += evaluate(nlp, eval_dir / "aida" / f"aida_{split}.jsonl", watchlist)
    return out
