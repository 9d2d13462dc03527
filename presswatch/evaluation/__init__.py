"""Measured extraction quality on the gold data in ../shared/eval (read by path, never copied).

Every figure is produced by the project's own extraction path (load_nlp + extract_articles)."""

from __future__ import annotations

from pathlib import Path

from presswatch.extract.pipeline import load_nlp

TASKS = ("ner", "quotes", "canonical")


def run_eval(eval_dir: Path, nlp_name: str, which: set[str]) -> list[dict]:
    """Rows {task, metric, value, n} for the tasks in `which` (ner, quotes, canonical);
    values are percentages. An empty `which` runs them all."""
    from presswatch.evaluation import conll, gum, polnear

    unknown = set(which) - set(TASKS)
    if unknown:
        raise ValueError(f"unknown eval task(s) {sorted(unknown)}; choose from {TASKS}")
    if not eval_dir.is_dir():
        raise FileNotFoundError(f"evaluation data not found at {eval_dir}")
    nlp = load_nlp(nlp_name)
    which = set(which) or set(TASKS)
    out: list[dict] = []
    if "ner" in which:
        out += conll.evaluate(nlp, eval_dir / "conll2003" / "eng.testa.iob2.txt")
    if "quotes" in which:
        out += polnear.evaluate(nlp, eval_dir / "polnear" / "polnear_dev.jsonl")
    if "canonical" in which:
        out += gum.evaluate(nlp, eval_dir / "gum_news")
    return out
