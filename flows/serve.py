"""`presswatch serve`: the ingest and digest deployments, served, plus the drop-folder watcher.

One process runs two things:
- a Prefect runner (main thread) serving `ingest/<name>` on an interval schedule (the
  safety net for files dropped while nothing ran) and `digest/daily` on a cron;
- a watcher thread that, soon after files settle in the drop folder, starts a run of the
  ingest deployment with `run_deployment`, keyed by the files' hashes so the same contents
  never start two runs.
Ctrl-C or SIGTERM first ends the runs in progress (each reports Crashed and frees the writer
slot), then stops the runner (Prefect pauses the schedules) and the watcher. On start, what a
dead serve left (runs still Running, their slot) is repaired first: flows/heal.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from datetime import datetime, timedelta, timezone

import psutil
from prefect.deployments import run_deployment
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.client.schemas.objects import StateType
from prefect.runner import Runner

from flows.digest import digest
from flows.feeds import feed_poll
from flows.ingest import ingest
from flows.heal import heal
from flows.limits import ensure_writer_limit
from flows.maintenance import maintenance
from flows.params import ServeOptions
from presswatch.discover.folder import warehouse_files
from presswatch.discover.watch import attempt_key, watch_folder
from warehouse.lake import is_lake
from warehouse.ledger import read_ledger_keys

__all__ = ["NEEDS_SERVER", "ServeOptions", "api_configured", "deployments", "feed_deployments", "ingest_params",
           "serve"]

log = logging.getLogger("presswatch.discover.watch")


NEEDS_SERVER = ("serve needs a Prefect server: start one (`make server`, or `prefect server start "
                "--host 127.0.0.1`) and set PREFECT_API_URL=http://127.0.0.1:4200/api, or pass --start-server")


def api_configured() -> bool:
    """Is a Prefect API set (deployments cannot be served against the temporary server)?"""
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url)


def ingest_params(opts: ServeOptions) -> dict:
    """The ingest deployment's parameters as JSON (what the deployment stores and runs send)."""
    return opts.ingest_params().model_dump(mode="json", exclude_none=True)


def deployments(opts: ServeOptions) -> list[RunnerDeployment]:
    params = ingest_params(opts)
    ingest_deployment = ingest.to_deployment(
        name=opts.name, interval=timedelta(seconds=opts.interval), paused=False,
        parameters={"params": params}, tags=["presswatch", "ingest"],
        description=f"Ingest the drop folder {params['drop']} into {params['warehouse']}: every "
                    f"{opts.interval:g} s, and soon after files arrive (presswatch serve).",
        entrypoint_type=EntrypointType.MODULE_PATH)
    digest_deployment = digest.to_deployment(
        name="daily", cron=opts.digest_cron, paused=False,
        parameters={"params": opts.digest_params().model_dump(mode="json", exclude_none=True)},
        tags=["presswatch", "digest"],
        description="The day's digest: articles in, top entities, most-quoted speakers, tone moves.",
        entrypoint_type=EntrypointType.MODULE_PATH)
    return [ingest_deployment, digest_deployment, *feed_deployments(opts), *maintenance_deployments(params)]


def maintenance_deployments(params: dict) -> list[RunnerDeployment]:
    """`maintenance/lake` daily (04:30 UTC) when the warehouse is a DuckLake; none for a DuckDB file."""
    if not is_lake(params["warehouse"]):
        return []
    return [maintenance.to_deployment(
        name="lake", cron="30 4 * * *", paused=False,
        parameters={"warehouse": params["warehouse"], "keep_days": 7.0}, tags=["presswatch", "maintenance"],
        description="DuckLake upkeep: merge small files, expire snapshots older than 7 days, delete unread files.",
        entrypoint_type=EntrypointType.MODULE_PATH)]


def feed_deployments(opts: ServeOptions) -> list[RunnerDeployment]:
    """`feeds/poll` when the feeds file exists (each run re-reads it; a file created later
    needs a restart of serve); none otherwise, so no run polls nothing every interval."""
    if not opts.feeds.is_file():
        log.info("no feeds file at %s: the feed poller is not served (README: Feeds)", opts.feeds)
        return []
    params = opts.feed_params()
    log.info("serving feeds/poll every %g s from %s", opts.feed_interval, params.feeds)
    return [feed_poll.to_deployment(
        name="poll", interval=timedelta(seconds=opts.feed_interval), paused=False,
        parameters={"params": params.model_dump(mode="json")}, tags=["presswatch", "feeds"],
        description=f"Poll the feeds of {params.feeds} and drop their new items into {params.drop} "
                    f"every {opts.feed_interval:g} s (presswatch serve).",
        entrypoint_type=EntrypointType.MODULE_PATH)]


def serve(opts: ServeOptions) -> None:
    """Serve both deployments and watch the drop folder until Ctrl-C or SIGTERM."""
    ensure_writer_limit(opts.writer_limit)
    served = deployments(opts)
    ingest_id = served[0].apply()  # registered before the watcher may need it
    # What a dead serve left: its runs still Running, their writer slot (flows/heal.py).
    for line in heal([ingest_id, *(d.apply() for d in served[1:])], opts.writer_limit):
        log.warning("%s", line)
    stop = threading.Event()
    watcher = threading.Thread(  # absolute paths: the same the run's discovery and ledger see
        target=watch_folder, name="presswatch-watcher", daemon=True,
        args=(opts.drop.resolve(), _submitter(ingest_id, opts)),
        kwargs={"stop": stop, "settle_seconds": opts.settle_seconds,
                # files seen before a restart are not resubmitted
                "known": read_ledger_keys(opts.warehouse),
                "max_file_bytes": opts.max_file_bytes, "force_polling": opts.force_polling,
                "exclude": warehouse_files(opts.warehouse)})
    runner = Runner(name=f"presswatch-{opts.name}", query_seconds=opts.poll_seconds)
    for deployment in served:
        runner.add_deployment(deployment)
    # SIGTERM does what Ctrl-C does: the runs in progress are stopped (stop_runs), then
    # asyncio cancels the runner, which pauses the schedules.
    # (SIGINT is set explicitly: a shell's background job inherits it ignored.)
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def on_sigterm(*_: object) -> None:
        stop_runs(first_wait=0.0)  # only serve got it: its runs are told at once
        os.kill(os.getpid(), signal.SIGINT)

    runner.handle_sigterm = on_sigterm
    log.info("serving ingest/%s (every %g s and on arrival) and digest/daily (cron %r); "
             "Ctrl-C stops", opts.name, opts.interval, opts.digest_cron)
    try:
        watcher.start()
        asyncio.run(_run(runner))
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        stop.set()
        watcher.join(timeout=10)
        log.info("watcher stopped")


async def _run(runner: Runner) -> None:
    """The runner, with Ctrl-C stopping the runs in progress before asyncio cancels it."""
    cancel = signal.getsignal(signal.SIGINT)  # asyncio's: cancels this task

    def on_sigint(signum: int, frame: object) -> None:
        stop_runs(first_wait=STOP_GRACE)  # a Ctrl-C reached the runs too: let them end first
        cancel(signum, frame)

    if callable(cancel):
        signal.signal(signal.SIGINT, on_sigint)
    await runner.start()


# Seconds a run in progress has to end once told (SIGTERM), before it is killed; and, after a
# Ctrl-C (which the runs got too), before it is told.
STOP_SECONDS = 6.0
STOP_GRACE = 2.0


def stop_runs(first_wait: float) -> None:
    """End the flow-run processes this serve started, before the runner goes: each reports its
    run Crashed, rolls back the batch it was loading and releases the writer slot on SIGTERM.
    (The runner's own shutdown ends them with no word to the server: runs stayed Running.)"""
    runs = [p for p in psutil.Process().children() if _is_flow_run(p)]
    if not runs:
        return
    log.info("stopping %d run(s) in progress", len(runs))
    _, alive = psutil.wait_procs(runs, timeout=first_wait)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    _, alive = psutil.wait_procs(alive, timeout=STOP_SECONDS)
    for proc in alive:
        log.warning("run process %d did not end %g s after SIGTERM: killed", proc.pid, STOP_SECONDS)
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()


def _is_flow_run(proc: psutil.Process) -> bool:
    try:
        return "prefect.engine" in proc.cmdline()
    except psutil.Error:
        return False


# A run that ended so did not finish its files: the same files then get a new run, keyed
# `<key>-attempt-<n>` (presswatch.discover.watch.attempt_key), never blocked by the old key.
ENDED_UNFINISHED = (StateType.CRASHED, StateType.CANCELLED, StateType.FAILED)
MAX_ATTEMPTS = 100


def _submitter(deployment_id, opts: ServeOptions):
    base = ingest_params(opts)

    def submit(files: dict[str, tuple[int, int]], key: str) -> str:
        """A run of the ingest deployment for these settled files (no settle wait: done here)."""
        params = base | {"settle_seconds": 0.0, "files": {p: list(sig) for p, sig in files.items()}}
        ended = []
        for attempt in range(MAX_ATTEMPTS):
            asked = datetime.now(timezone.utc) - timedelta(seconds=1)
            run = run_deployment(deployment_id, parameters={"params": params},
                                 idempotency_key=attempt_key(key, attempt),
                                 timeout=0, as_subflow=False, tags=["presswatch", "watch"])
            if not (run.created and run.created < asked):  # a new run, not one the key matched
                after = f", after {', '.join(ended)}" if ended else ""
                return f"started flow run {run.name!r} ({run.id}) of ingest/{opts.name}{after}"
            if run.state_type not in ENDED_UNFINISHED:
                return f"already ran as {run.name!r} ({run.state_name}), no new run"
            ended.append(f"{run.name!r} ended {run.state_name}")
        raise RuntimeError(f"{MAX_ATTEMPTS} runs for the same files all ended unfinished: {ended[-1]}")
    return submit
