"""`presswatch bench`: throughput against spaCy alone, cost per article as the warehouse grows."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from presswatch.cli.options import workers_arg
from presswatch.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench", help="measure presswatch against raw spaCy (and its cost as the warehouse grows)",
        description="Runs (a) raw spaCy nlp.pipe with presswatch's components and (b) the full "
                    "`presswatch run` over the same corpus (copied to a temp dir), and prints "
                    "throughput, their ratio, peak PSS, per-stage seconds, DuckDB rows/s and the "
                    "second-run time. The default (BBC, one repeat) takes about 4 minutes on 2 cores. "
                    "See docs/performance.md.")
    p.add_argument("--corpus", default="bbc",
                   help="bbc (default), reuters, a folder path, or none (only --scaling)")
    p.add_argument("--limit", type=int, help="use the first N files only")
    p.add_argument("--repeat", type=int, default=1, help="runs of each side; medians are reported (default 1)")
    p.add_argument("--workers", type=workers_arg, default="auto",
                   help="NLP processes for both sides: auto (default: min(2, CPUs)) or N")
    p.add_argument("--scaling", help="warehouse sizes for the scaling check, e.g. 1000,5000,20000 (Reuters)")
    p.add_argument("--probe", type=int, default=1000, help="new files per timed scaling probe (default 1000)")
    p.add_argument("--batch-size", type=int, help="articles per batch (default: PRESSWATCH_BATCH_SIZE or 500)")
    p.add_argument("--model", help="spaCy pipeline (default: PRESSWATCH_MODEL)")
    p.add_argument("--eval-dir", type=Path, help="evaluation data (default: PRESSWATCH_EVAL_DIR or ../shared/eval)")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON to PATH")
    p.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep the corpora and warehouses")
    p.add_argument("--skip-raw", action="store_true", help="skip side (a)")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="dask: also side (c), the same run on a Dask LocalCluster of --workers processes, "
                        "paired with (b); prints dask vs local throughput (docs/scaling.md)")
    p.add_argument("--warehouse", choices=["duckdb", "ducklake"], default="duckdb",
                   help="ducklake: also side (d), the same run into a DuckLake (file catalog), paired with (b); "
                        "prints DuckLake vs DuckDB-file time (docs/scaling.md)")
    p.add_argument("--archive", help="archive sizes, e.g. 100000,1000000: views, digest queries and a watch-mode "
                                     "run on archives synthesized from a BBC warehouse (docs/performance.md)")
    p.add_argument("--archive-views", help="with --archive: time only these views, e.g. cooccurrence,spikes "
                                           "(default: every view in the warehouse)")
    p.add_argument("--archive-source", type=Path, metavar="DUCKDB",
                   help="the BBC warehouse to synthesize from (default: `presswatch run` over the BBC corpus first)")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from flows.bench import Options, render, run_bench

    settings = Settings.load(model=args.model, batch_size=args.batch_size, eval_dir=args.eval_dir)
    if args.archive:
        return _archive(args, settings)
    scaling = [int(x) for x in args.scaling.split(",")] if args.scaling else None
    if args.corpus == "none" and not scaling:
        print("presswatch bench: --corpus none needs --scaling", file=sys.stderr)
        return 2
    opts = Options(corpus=args.corpus, limit=args.limit, repeat=max(1, args.repeat), workers=args.workers,
                   scaling=scaling, probe=args.probe, model=settings.model,
                   batch_size=settings.batch_size, sentiment_method=settings.sentiment_method,
                   max_file_bytes=settings.max_file_bytes, eval_dir=settings.eval_dir,
                   workdir=args.keep, skip_raw=args.skip_raw, executor=args.executor,
                   warehouse=args.warehouse)
    try:
        report = run_bench(opts, say=lambda line: print(line, file=sys.stderr, flush=True))
    except FileNotFoundError as exc:
        print(f"presswatch bench: {exc}", file=sys.stderr)
        return 2
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
        print(f"figures written to {args.json}")
    return 0


def _archive(args: argparse.Namespace, settings: Settings) -> int:
    from flows.bench_archive import ArchiveOptions, render, run_archive_bench

    try:
        sizes = [int(x) for x in args.archive.split(",")]
    except ValueError:
        print(f"presswatch bench: --archive takes sizes like 100000,1000000, not {args.archive!r}", file=sys.stderr)
        return 2
    opts = ArchiveOptions(sizes=sizes, source=args.archive_source, repeat=args.repeat if args.repeat > 1 else 5,
                          model=settings.model, workers=args.workers, batch_size=settings.batch_size,
                          sentiment_method=settings.sentiment_method, max_file_bytes=settings.max_file_bytes,
                          eval_dir=settings.eval_dir, workdir=args.keep, keep=args.keep is not None,
                          views=args.archive_views.split(",") if args.archive_views else None)
    try:
        report = run_archive_bench(opts, say=lambda line: print(line, file=sys.stderr, flush=True))
    except FileNotFoundError as exc:
        print(f"presswatch bench: {exc}", file=sys.stderr)
        return 2
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
        print(f"figures written to {args.json}")
    return 0
