"""SIGTERM and Ctrl-C to `presswatch run` (issue 12, items 3 and 4): real processes, real signals.

The run is paused inside the load transaction of its second batch (presswatch/faults.py),
with two NLP workers, so every kind of child exists: Prefect's temporary server, the NLP fork
server, its workers and multiprocessing's resource tracker. Then it is signalled: it must exit
in seconds, leave none of them behind, and keep the first batch while the second rolls back.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from presswatch.cli.stopping import STOPPED
from tests.flows import procs
from tests.flows.corpus import write_corpus
from tests.flows.serve.spawn import family, wait_gone

pytestmark = pytest.mark.slow

BATCH = 20  # files per batch; the corpus has 41 files (40 stories + one JSON Lines file)
KINDS = {"temporary server": "uvicorn", "fork server": "forkserver", "resource tracker": "resource_tracker"}


@pytest.fixture(scope="module")
def drop(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("signals") / "drop"
    write_corpus(path, 40)
    return path


def _paused_run(drop: Path, tmp_path: Path, api_url: str | None):
    """`presswatch run` paused in the load of batch 2; its process family at that moment."""
    marker = tmp_path / "paused"
    environ = procs.env(api_url or "", tmp_path / "prefect", PRESSWATCH_TEST_PAUSE_AT="load:2",
                        PRESSWATCH_TEST_PAUSE_MARKER=str(marker))
    if api_url is None:  # Prefect's temporary server, as a user's first `presswatch run` has
        del environ["PREFECT_API_URL"]
    run = procs.start_run(drop, tmp_path / "w.duckdb", environ, "--batch-size", str(BATCH), "--workers", "2")
    procs.wait_for(marker, run, timeout=300)
    return run, family(run.pid)


def _cmdlines(procs_: list) -> str:
    return "\n".join(" ".join(p.cmdline()) for p in procs_)


def _stopped(run, kin, signalled: float, timeout: float = 60) -> tuple[str, str]:
    out, err = run.communicate(timeout=timeout)
    assert run.returncode == STOPPED, f"exit {run.returncode}:\n{out}\n{err[-4000:]}"
    left = wait_gone(kin, max(0.0, signalled + 10 - time.monotonic()))
    assert left == [], f"left running 10 s after the signal: {left}"
    return out, err


def _first_batch_only(warehouse: Path) -> None:
    counts = procs.check_invariants(warehouse)
    assert counts["ingest_log"] == BATCH  # batch 1 committed, batch 2 rolled back
    assert counts["pipeline_runs"] == 0


def test_sigterm_stops_run_and_every_child_process_within_10_s(drop, tmp_path):
    run, kin = _paused_run(drop, tmp_path, api_url=None)
    seen = _cmdlines(kin)
    for kind, needle in KINDS.items():
        assert needle in seen, f"no {kind} among the run's processes:\n{seen}"
    assert seen.count("forkserver") >= 3, seen  # the workers are forks of the fork server
    signalled = time.monotonic()
    os.kill(run.pid, signal.SIGTERM)
    _, err = _stopped(run, kin, signalled)
    assert "SIGTERM received, stopping" in err
    _first_batch_only(tmp_path / "w.duckdb")


def test_ctrl_c_to_the_process_group_stops_run_in_seconds(drop, tmp_path):
    """Ctrl-C reaches every process of the terminal's group at once: the temporary server
    must not die under the run (the client would retry for minutes)."""
    run, kin = _paused_run(drop, tmp_path, api_url=None)
    signalled = time.monotonic()
    os.killpg(run.pid, signal.SIGINT)
    try:
        _, err = _stopped(run, kin, signalled, timeout=30)
    except Exception:
        procs.kill(run)
        raise
    assert time.monotonic() - signalled < 15
    assert "Finished in state Running" not in err
    _first_batch_only(tmp_path / "w.duckdb")


def test_sigterm_ends_the_flow_run_crashed_on_a_real_server(drop, tmp_path, prefect_api_url):
    from prefect import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    run, kin = _paused_run(drop, tmp_path, api_url=prefect_api_url)
    signalled = time.monotonic()
    os.kill(run.pid, signal.SIGTERM)
    _stopped(run, kin, signalled)
    _first_batch_only(tmp_path / "w.duckdb")
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["ingest"])),
                                     sort=FlowRunSort.START_TIME_DESC, limit=50)
    [ours] = [r for r in runs if r.parameters["params"]["warehouse"] == str(tmp_path / "w.duckdb")]
    assert ours.state_type.value == "CRASHED", ours.state


def test_sigkill_to_run_alone_leaves_no_child_behind(drop, tmp_path):
    """No cleanup runs at all: the children must notice their parent's death by themselves
    (the temporary server and the NLP workers are tied to it; the fork server and the
    resource tracker end when their last client is gone)."""
    run, kin = _paused_run(drop, tmp_path, api_url=None)
    signalled = time.monotonic()
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    left = wait_gone(kin, max(0.0, signalled + 10 - time.monotonic()))
    assert left == [], f"left running 10 s after SIGKILL: {left}"
    run.communicate(timeout=30)
