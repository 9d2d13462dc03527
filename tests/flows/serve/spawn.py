"""`presswatch serve` started, stopped and killed as a test needs it (beyond the session's
one in conftest.py), and the processes it leaves, seen through psutil."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil

from flows.localserver import LocalPrefectServer
from tests.conftest import ROOT
from tests.flows.procs import kill as kill_group  # noqa: F401 - SIGKILL a serve's process group
from tests.flows.serve.conftest import Served


def start_serve(server: LocalPrefectServer, drop: Path, warehouse: Path, log_path: Path, *, name: str,
                writer_limit: str, settle: float = 0.5, **extra_env: str) -> Served:
    """`presswatch serve` in a session of its own (a SIGKILL to its group is a machine's crash),
    its log appended to log_path."""
    env = server.env()
    env.pop("PRESSWATCH_DROP", None)
    env.pop("PRESSWATCH_WAREHOUSE", None)
    env.update(PRESSWATCH_WRITER_LIMIT=writer_limit, PYTHONUNBUFFERED="1", **extra_env)
    drop.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "presswatch.cli", "serve", str(drop), "--warehouse", str(warehouse),
             "--interval", "3600", "--settle", str(settle), "--poll", "1", "--name", name],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    return Served(server, drop, warehouse, log_path, proc)


def family(pid: int) -> list[psutil.Process]:
    """The process and all its descendants alive now."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def alive(procs: list[psutil.Process]) -> list[str]:
    """Those still running (zombies awaiting their reaper count as gone), described."""
    left = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                left.append(f"{p.pid} {' '.join(p.cmdline())[:160]}")
        except psutil.NoSuchProcess:
            pass
    return left


def wait_gone(procs: list[psutil.Process], timeout: float) -> list[str]:
    """Wait up to timeout for every process to end; returns those left."""
    deadline = time.monotonic() + timeout
    while (left := alive(procs)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def runs_of(served: Served, deployment: str) -> list:
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    with served.client() as client:
        return client.read_flow_runs(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment])))


def slots_in_use(served: Served, limit: str) -> int:
    with served.client() as client:
        return client.read_global_concurrency_limit_by_name(limit).active_slots
