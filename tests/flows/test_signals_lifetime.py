"""Processes that die with their parent, and how a dead run's process is told from a live one
(presswatch/lifetime.py): real processes, real signals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from presswatch.discover.watch import attempt_key
from presswatch.lifetime import process_alive, this_process

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")

PARENT = textwrap.dedent("""
    import subprocess, sys, time
    from presswatch.lifetime import die_with_this_process
    tie = sys.argv[1] == "tie"
    child = subprocess.Popen(["sleep", "120"], preexec_fn=die_with_this_process() if tie else None,
                             start_new_session=True)
    print(child.pid, flush=True)
    time.sleep(120)
""")


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("tie", [True, False], ids=["tied", "untied"])
def test_a_tied_child_dies_when_its_parent_is_sigkilled(tie):
    """A child in its own session survives its parent's SIGKILL unless tied to it."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT, "tie" if tie else "free"],
                              stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert _gone(child, 5) is tie
    finally:
        if not _gone(child, 0):
            os.kill(child, signal.SIGKILL)


def test_process_alive_tells_live_dead_reused_and_unknown():
    assert process_alive(this_process()) is True
    host, pid, start = this_process().split(":")
    assert process_alive(f"{host}:{pid}:{float(start) - 50:.2f}") is False  # the PID reused since
    dead = subprocess.Popen(["true"])
    dead.wait()
    assert process_alive(f"{socket.gethostname()}:{dead.pid}:1.00") is False
    assert process_alive(f"another-host-{host}:{pid}:{start}") is None
    assert process_alive(None) is None
    # Prefect's infrastructure_pid (host:pid): a process started after the run is another one
    assert process_alive(f"{host}:{pid}", started_before=float(start) + 5) is True
    assert process_alive(f"{host}:{pid}", started_before=float(start) - 50) is False


def test_attempt_keys_differ_from_the_first_key_and_each_other():
    key = "presswatch-ingest-0123"
    assert attempt_key(key, 0) == key
    assert len({attempt_key(key, n) for n in range(5)}) == 5
    assert attempt_key(key, 2) == f"{key}-attempt-2"
