"""A real Prefect server and a real `presswatch serve`, once per test session.

The server is `prefect server start` on a free loopback port with its own PREFECT_HOME
(SQLite) under tmp; `presswatch serve` runs as a subprocess against a temp drop folder, so
what is tested is what a user runs. Both are stopped at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from flows.localserver import LocalPrefectServer
from tests.conftest import ROOT, SEEDS

# Three seed articles with distinct contents (each loads one article).
THREE = ["000_312fe44e2616a10d.txt", "010_html_page.html", "020_api_article.json"]
DEPLOYMENT = "drop-folder"
WAIT = 120  # seconds: generous for a loaded 2-core machine; typical is 10-20


@dataclass
class Served:
    server: LocalPrefectServer
    drop: Path
    warehouse: Path
    log_path: Path
    proc: subprocess.Popen
    returncode: int | None = field(default=None)

    @contextmanager
    def client(self):
        from prefect import get_client
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: self.server.api_url}):
            with get_client(sync_client=True) as client:
                yield client

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, needles: list[str], *, after: int = 0, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log()[after:]
            if all(n in text for n in needles):
                return text
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{needles} not all in the serve log within {timeout:.0f} s:\n{self.log()[-4000:]}")

    def drop_atomically(self, names: list[str]) -> None:
        """Copy seed files in the recommended way: a temp name, then a rename."""
        for name in names:
            tmp = self.drop / f".{name}.part"
            shutil.copyfile(SEEDS / name, tmp)
            os.replace(tmp, self.drop / name)

    def stop(self, timeout: float = 30) -> int:
        if self.returncode is None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.returncode = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
                self.returncode = -9
        return self.returncode


@pytest.fixture(scope="session")
def prefect_server_process(tmp_path_factory):
    server = LocalPrefectServer(tmp_path_factory.mktemp("prefect-home"))
    try:
        server.start()
    except (RuntimeError, TimeoutError) as exc:
        pytest.fail(f"could not start a Prefect server: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def served(prefect_server_process, tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    drop, warehouse, log_path = root / "drop", root / "w.duckdb", root / "serve.log"
    drop.mkdir()
    env = prefect_server_process.env()
    env.pop("PRESSWATCH_DROP", None)
    env.pop("PRESSWATCH_WAREHOUSE", None)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "presswatch.cli", "serve", str(drop), "--warehouse", str(warehouse),
             "--interval", "3600", "--settle", "0.5", "--poll", "1", "--name", DEPLOYMENT],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    s = Served(prefect_server_process, drop, warehouse, log_path, proc)
    try:
        s.wait_for_log(["serving ingest/drop-folder", "watching"], timeout=90)
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="session")
def ingested(served):
    """Three articles dropped; the Completed watcher-started run, its artifacts, the seconds it took."""
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        DeploymentFilter,
        DeploymentFilterName,
    )
    from prefect.client.schemas.objects import StateType

    started = time.monotonic()
    served.drop_atomically(THREE)
    deadline = started + WAIT
    with served.client() as client:
        while True:
            runs = [r for r in client.read_flow_runs(
                        deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[DEPLOYMENT])))
                    if r.state_type != StateType.SCHEDULED]
            done = [r for r in runs if r.state_type == StateType.COMPLETED]
            broken = [r for r in runs if r.state_type in (StateType.FAILED, StateType.CRASHED)]
            assert not broken, f"ingest run {broken[0].name} ended {broken[0].state_name}:\n{served.log()[-4000:]}"
            if done:
                break
            assert time.monotonic() < deadline, f"no Completed ingest run within {WAIT} s:\n{served.log()[-4000:]}"
            time.sleep(0.5)
        [run] = done
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
    return run, artifacts, time.monotonic() - started
