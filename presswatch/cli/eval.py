"""`presswatch eval`: extraction and sentiment quality on the gold data in ../shared/eval."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from presswatch.config import SENTIMENT_METHODS, Settings

EXTRACTION_TASKS = ("ner", "quotes", "canonical")
SENTIMENT_TASKS = ("sentiment",)
DEDUP_TASKS = ("dedup",)  # near-duplicates, syndication, stories (presswatch/evaluation/dedup.py)
ENTITY_TASKS = ("entities",)  # cross-document entity resolution on AIDA (presswatch/evaluation/aida.py)
ALL_TASKS = EXTRACTION_TASKS + SENTIMENT_TASKS + DEDUP_TASKS + ENTITY_TASKS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="measure NER, quotes, canonical entities and sentiment on gold data")
    p.add_argument("tasks", nargs="*", metavar="TASK",
                   help=f"any of {', '.join(ALL_TASKS)} (default: all)")
    p.add_argument("--eval-dir", type=Path, help="gold data folder (default: PRESSWATCH_EVAL_DIR or ../shared/eval)")
    p.add_argument("--model", help="spaCy pipeline name")
    p.add_argument("--sentiment", choices=SENTIMENT_METHODS, help="sentiment method to evaluate (default: both)")
    p.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    p.add_argument("--end-to-end", action="store_true",
                   help="quotes, entities, sentiment (NewsMTSC targets): run the gold articles through "
                        "`presswatch run` and score what the warehouse holds")
    p.add_argument("--watchlist", type=Path,
                   help="entities: an entities.toml to apply (default: none, the rules alone)")
    p.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from presswatch.evaluation import run_eval
    from presswatch.evaluation.sentiment import run_sentiment_eval

    settings = Settings.load(eval_dir=args.eval_dir, model=args.model)
    if not settings.eval_dir.is_dir():
        print(f"presswatch: evaluation data not found at {settings.eval_dir} "
              "(pass --eval-dir or set PRESSWATCH_EVAL_DIR)", file=sys.stderr)
        return 2
    unknown = set(args.tasks) - set(ALL_TASKS)
    if unknown:
        print(f"presswatch: unknown eval task(s) {', '.join(sorted(unknown))}; "
              f"choose from {', '.join(ALL_TASKS)}", file=sys.stderr)
        return 2
    chosen = set(args.tasks) or set(ALL_TASKS)
    rows: list[dict] = []
    extraction = chosen & set(EXTRACTION_TASKS)
    if args.end_to_end and "quotes" in extraction:
        from presswatch.cli.pipeline_eval import polnear_end_to_end

        extraction = extraction - {"quotes"}
        rows += polnear_end_to_end(settings.eval_dir / "polnear" / "polnear_dev.jsonl", model=settings.model)
    if extraction:
        rows += run_eval(settings.eval_dir, settings.model, extraction)
    if "sentiment" in chosen:
        for method in [args.sentiment] if args.sentiment else SENTIMENT_METHODS:
            try:
                rows += [{**r, "task": f"{r['task']} [{method}]"}
                         for r in run_sentiment_eval(settings.eval_dir, method, settings.model)]
                if args.end_to_end:
                    from presswatch.cli.pipeline_eval import newsmtsc_end_to_end
                    rows += newsmtsc_end_to_end(settings.eval_dir / "newsmtsc" / "devtest_mt.jsonl",
                                                method=method, model=settings.model)
            except (ImportError, FileNotFoundError) as exc:  # an optional method not installed/trained
                if args.sentiment:
                    raise
                print(f"presswatch: sentiment method {method!r} skipped: {exc}", file=sys.stderr)
    if "dedup" in chosen:
        from presswatch.evaluation.dedup import run_dedup_eval
        rows += run_dedup_eval(settings.eval_dir, agencies_file=settings.wire_agencies)
    if "entities" in chosen and args.end_to_end:
        from presswatch.cli.pipeline_eval import aida_end_to_end
        rows += aida_end_to_end(settings.eval_dir / "aida" / "aida_testa.jsonl", model=settings.model)
    elif "entities" in chosen:
        from presswatch.entities import load_watchlist
        from presswatch.evaluation.aida import run_entities_eval
        rows += run_entities_eval(settings.eval_dir, settings.model, load_watchlist(args.watchlist))
    print(render(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=str))
    return 0


def render(rows: list[dict]) -> str:
    width = max([len(str(r["task"])) for r in rows] + [4])
    mwidth = max([len(str(r["metric"])) for r in rows] + [6])
    # Rows carrying `before` (a stored baseline, e.g. quotes) show it beside the new figure.
    label = next((str(r["before_label"]) for r in rows if r.get("before_label")), None)
    out = [f"{'task'.ljust(width)}  {'metric'.ljust(mwidth)}  {'value':>8}  {'n':>6}"
           + (f"  before ({label})" if label else "")]
    for r in rows:
        value = r["value"]
        shown = _cell(value)
        line = f"{str(r['task']).ljust(width)}  {str(r['metric']).ljust(mwidth)}  {shown}  {r.get('n', ''):>6}"
        if label and r.get("before") is not None:
            line += f"  {_cell(r['before'])}"
        out.append(line)
    return "\n".join(out)


def _cell(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:8d}"  # a count
    return f"{value:8.1f}" if isinstance(value, float) else str(value).rjust(8)
