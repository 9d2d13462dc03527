"""End-to-end evaluation: gold documents go through `presswatch run` exactly as a user's files do,
and the score reads the warehouse (warehouse/eval_read.py). A figure measured on in-process
extraction hides what the readers, loading and storage lose before the step measured."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def run_documents(texts: list[str], workdir: Path, *, model: str | None = None,
                  env: dict[str, str] | None = None) -> tuple[Path, list[str]]:
    """Write each text as `NNNNN.txt` into a fresh drop folder, run `presswatch run` on it in a
    child process (env: settings on top of this process's environment), and return the
    warehouse path and the file names in input order."""
    drop = workdir / "drop"
    drop.mkdir(parents=True, exist_ok=False)
    names = []
    for i, text in enumerate(texts):
        name = f"{i:05d}.txt"
        (drop / name).write_text(text, encoding="utf-8")
        names.append(name)
    db = workdir / "eval.duckdb"
    env = {**os.environ, **(env or {}), "PREFECT_HOME": str(workdir / "prefect")}  # its own server database
    cmd = [sys.executable, "-m", "presswatch.cli", "run", str(drop), "--warehouse", str(db)]
    if model:
        cmd += ["--model", model]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"presswatch run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return db, names


def polnear_end_to_end(path: Path, *, model: str | None = None, limit: int | None = None,
                       workdir: Path | None = None) -> list[dict]:
    """PolNeAR quotes through `presswatch run` and the warehouse (the rule of the eval README)."""
    from presswatch.evaluation import polnear
    from warehouse.eval_read import quotes_by_file

    data = polnear.read_polnear(path, limit)
    with tempfile.TemporaryDirectory(prefix="presswatch-eval-", dir=workdir) as tmp:
        db, names = run_documents([text for text, _ in data], Path(tmp), model=model)
        quotes, bodies = quotes_by_file(db)
    missing = [n for n in names if n not in bodies]
    if missing:
        raise RuntimeError(f"{len(missing)} evaluation documents were not loaded, e.g. {missing[:3]}")
    rows = polnear.figures([quotes.get(n, []) for n in names], [gs for _, gs in data],
                           [bodies[n] for n in names])
    return [{**r, "task": f"{r['task']} (end-to-end)"} for r in rows]


def aida_end_to_end(path: Path, *, model: str | None = None, limit: int | None = None,
                    workdir: Path | None = None) -> list[dict]:
    """AIDA cross-document entities through `presswatch run` and the warehouse: each document a
    file, one run (its end re-resolves the archive, as a first load does), the stored mentions
    mapped back to the gold text and scored by raw id, canonical id and canonical id with
    demonym links followed (presswatch/evaluation/aida.py)."""
    import polars as pl

    from presswatch.evaluation import aida
    from warehouse.db import open_db
    from warehouse.entities import mentions_by_file

    docs = aida.read_aida(path)[:limit]
    with tempfile.TemporaryDirectory(prefix="presswatch-eval-", dir=workdir) as tmp:
        db, names = run_documents([d["text"] for d in docs], Path(tmp), model=model)
        con = open_db(db, read_only=True)
        try:
            mentions, bodies = mentions_by_file(con)
        finally:
            con.close()
    index = {name: i for i, name in enumerate(names)}
    bodies = {index[Path(p).name]: body for p, body in bodies.items()}
    missing = [n for n in names if index[n] not in bodies]
    if missing:
        raise RuntimeError(f"{len(missing)} evaluation documents were not loaded, e.g. {missing[:3]}")
    mentions = mentions.with_columns(doc=pl.col("source_path").str.extract(r"([^/\\]+)$")
                                     .replace_strict(index, return_dtype=pl.Int64))
    split = path.stem.removeprefix("aida_")
    out: list[dict] = []
    for suffix, cluster in (("_raw_ids", pl.col("entity_id")), ("", pl.col("canonical_id")),
                            ("_with_links", pl.coalesce("related_id", "canonical_id"))):
        s = aida.score_stored(docs, bodies, mentions.with_columns(cluster=cluster))
        out += aida.figures(f"entities_aida_{split}{suffix} (end-to-end)", s)
    return out


def newsmtsc_end_to_end(path: Path, *, method: str | None = None, model: str | None = None,
                        limit: int | None = None, workdir: Path | None = None) -> list[dict]:
    """NewsMTSC targets through `presswatch run` and the warehouse: each distinct sentence a file
    (as the in-process figure treats it), a gold target found when a stored mention or reference
    overlaps it once the stored body is mapped back to the sentence, classed by its stored
    sentiment_label (presswatch/evaluation/sentiment.py: score_found_targets)."""
    from presswatch.config import default
    from presswatch.evaluation.stored_text import stored_offsets
    from presswatch.evaluation.newsmtsc import read_newsmtsc
    from presswatch.evaluation.sentiment import score_found_targets
    from warehouse.eval_read import sentiment_rows_by_file

    gold = read_newsmtsc(path)
    sentences = list(dict.fromkeys(t.sentence for t in gold))[:limit]
    kept = set(sentences)
    gold = [t for t in gold if t.sentence in kept]
    env = {"PRESSWATCH_SENTIMENT_METHOD": method} if method else None
    with tempfile.TemporaryDirectory(prefix="presswatch-eval-", dir=workdir) as tmp:
        db, names = run_documents(sentences, Path(tmp), model=model, env=env)
        rows, bodies = sentiment_rows_by_file(db)
    missing = [n for n in names if n not in bodies]
    if missing:
        raise RuntimeError(f"{len(missing)} evaluation documents were not loaded, e.g. {missing[:3]}")
    by_sentence = {}
    for sentence, name in zip(sentences, names):
        stored = rows.get(name, [])
        spans = stored_offsets(sentence, bodies[name], [(start, end) for start, end, _ in stored])
        by_sentence[sentence] = [(*span, label) for span, (_, _, label) in zip(spans, stored) if span]
    used = method or os.environ.get("PRESSWATCH_SENTIMENT_METHOD") or default("sentiment_method")
    return score_found_targets(gold, by_sentence, f"newsmtsc {path.stem} through presswatch run ({used})")
