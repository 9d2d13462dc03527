"""Stopping `presswatch serve` during an ingest, and starting it again (issue 12, item 1).

A real Prefect server, real `presswatch serve` processes, real signals. The ingest run is
paused inside its load transaction (presswatch/faults.py), then serve is stopped:
- SIGTERM: the run ends Crashed/Cancelled, its writer slot is free, every child is gone
  within 10 s, and a restarted serve ingests the same files in a new run;
- Ctrl-C to the process group: the same, the run's process getting SIGINT too;
- SIGKILL to the whole group (a machine's crash): the run is left Running holding the slot;
  a restarted serve marks it Crashed, frees the slot and ingests the files.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.flows import procs
from tests.flows.corpus import story
from tests.flows.serve import spawn
from tests.flows.serve.conftest import WAIT

pytestmark = pytest.mark.slow

ENDED = {"CRASHED", "CANCELLED"}


def _start(server, root, name, **env):
    return spawn.start_serve(server, root / "drop", root / "w.duckdb", root / "serve.log",
                             name=name, writer_limit=f"presswatch-test-{name}", **env)


def _drop_stories(drop, first: int) -> None:
    """Three stories of their own (the server is shared: the same contents would have a run
    already, whatever the deployment), each written aside and renamed into place."""
    for i in range(first, first + 3):
        title, body = story(i)
        tmp = drop / f".story_{i}.part"
        tmp.write_text(f"date 2024-03-12 {title} AFP\n\n{body}\n")
        os.replace(tmp, drop / f"story_{i}.txt")


def _paused(server, root, name, first: int):
    """serve with its first ingest run paused inside the load transaction of its only batch."""
    marker = root / "paused"
    served = _start(server, root, name, PRESSWATCH_TEST_PAUSE_AT="load:1",
                    PRESSWATCH_TEST_PAUSE_MARKER=str(marker))
    served.wait_for_log(["watching"], timeout=90)
    _drop_stories(served.drop, first)
    procs.wait_for(marker, served.proc, timeout=WAIT)
    return served


def _wait_completed(served, name: str) -> list:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        runs = spawn.runs_of(served, name)
        if any(r.state_type.value == "COMPLETED" for r in runs):
            return runs
        assert served.proc.poll() is None, served.log()[-4000:]
        time.sleep(0.5)
    raise AssertionError(f"no Completed run within {WAIT} s:\n{served.log()[-4000:]}")


def _articles(served) -> int:
    if not served.warehouse.exists():
        return 0
    return procs.rows(served.warehouse, "SELECT count(*) FROM articles")[0][0]


def test_sigterm_during_an_ingest_ends_the_run_frees_the_slot_and_a_restart_ingests_the_files(
        prefect_server_process, tmp_path):
    name = "stop-term"
    served = _paused(prefect_server_process, tmp_path, name, first=9100)
    family = spawn.family(served.proc.pid)
    assert len(family) >= 2, "the ingest run's process is a child of serve"
    signalled = time.monotonic()
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(timeout=60) == 0, served.log()[-4000:]
    assert spawn.wait_gone(family, max(0.0, signalled + 10 - time.monotonic())) == []

    [run] = spawn.runs_of(served, name)
    assert run.state_type.value in ENDED, (run.state_name, served.log()[-3000:])
    assert spawn.slots_in_use(served, f"presswatch-test-{name}") == 0
    assert _articles(served) == 0  # the paused batch rolled back: nothing half-written
    if served.warehouse.exists():
        procs.check_invariants(served.warehouse)

    mark = len(served.log())
    again = _start(prefect_server_process, tmp_path, name)
    try:
        runs = _wait_completed(again, name)
        assert len(runs) == 2
        log = again.log()[mark:]
        assert "no new run" not in log, log
        assert f"ended {run.state_name}" in log, log  # the new run says which one it replaces
        assert _articles(again) == 3
        counts = procs.check_invariants(again.warehouse)
        assert counts["ingest_log"] == 3
    finally:
        assert again.stop() == 0


def test_ctrl_c_to_the_process_group_during_an_ingest_stops_everything_cleanly(prefect_server_process, tmp_path):
    """A terminal's Ctrl-C: serve and its run's process get SIGINT at once."""
    name = "stop-int"
    served = _paused(prefect_server_process, tmp_path, name, first=9300)
    family = spawn.family(served.proc.pid)
    signalled = time.monotonic()
    os.killpg(served.proc.pid, signal.SIGINT)
    assert served.proc.wait(timeout=60) == 0, served.log()[-4000:]
    assert spawn.wait_gone(family, max(0.0, signalled + 10 - time.monotonic())) == []
    [run] = spawn.runs_of(served, name)
    assert run.state_type.value in ENDED, (run.state_name, served.log()[-3000:])
    assert spawn.slots_in_use(served, f"presswatch-test-{name}") == 0
    assert _articles(served) == 0


def test_after_sigkill_a_restarted_serve_crashes_the_dead_run_frees_its_slot_and_ingests(
        prefect_server_process, tmp_path):
    name = "stop-kill"
    limit = f"presswatch-test-{name}"
    served = _paused(prefect_server_process, tmp_path, name, first=9200)
    family = spawn.family(served.proc.pid)
    spawn.kill_group(served.proc)
    assert spawn.wait_gone(family, 10) == []
    [dead] = spawn.runs_of(served, name)
    assert dead.state_type.value == "RUNNING"  # what a crash leaves: nobody told the server
    assert spawn.slots_in_use(served, limit) == 1

    mark = len(served.log())
    again = _start(prefect_server_process, tmp_path, name)
    try:
        runs = _wait_completed(again, name)
        log = again.log()[mark:]
        assert f"marked flow run {dead.name!r} ({dead.id}) Crashed" in log, log
        assert "released its writer slot lease" in log, log
        with again.client() as client:
            assert client.read_flow_run(dead.id).state_type.value == "CRASHED"
        assert [r.state_type.value for r in runs if r.id != dead.id] == ["COMPLETED"]
        assert _articles(again) == 3
        procs.check_invariants(again.warehouse)
    finally:
        assert again.stop() == 0
    assert spawn.slots_in_use(again, limit) == 0
