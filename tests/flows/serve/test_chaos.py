"""Chaos: `presswatch serve` stopped at random points while files keep arriving (issue 12).

A real Prefect server; BBC articles dropped one by one (atomic renames) by a thread while
serve is started, left to work for a random while, then stopped with SIGTERM or killed with
SIGKILL (its whole process group: a machine's crash), ten times (random.Random(SEED)), and
restarted each time. A last serve drains the folder. In the end: every article once, every
file one ledger row, no run left Running, no writer slot held, no process of ours left.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import threading
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import eval_dir
from tests.flows import procs
from tests.flows.serve import spawn

pytestmark = pytest.mark.slow

SEED = 12
CYCLES = 10
FILES = 40
NAME = "chaos"
# Also marks every process of ours (their environment has it); the session's pid in it, so a test
# suite running beside this one on the machine never has its processes counted as ours.
LIMIT = f"presswatch-test-chaos-{os.getpid()}"
LIVE = {"RUNNING", "PENDING", "CANCELLING"}


def _bbc_files(n: int) -> list[Path]:
    root = eval_dir() / "bbc_news" / "bbc" / "business"
    if not root.is_dir():
        pytest.skip(f"BBC articles not found at {root} (see tests/conftest.py: eval_dir)")
    picked, seen = [], set()
    for path in sorted(root.glob("*.txt")):
        digest = hashlib.sha256(path.read_bytes().strip()).hexdigest()
        if digest not in seen:  # the set has byte-identical copies: one of each
            seen.add(digest)
            picked.append(path)
        if len(picked) == n:
            return picked
    pytest.skip(f"fewer than {n} distinct BBC business articles")


def _dropper(files: list[Path], drop: Path, rng: random.Random, done: threading.Event) -> threading.Thread:
    pauses = [rng.uniform(0.3, 4.0) for _ in files]

    def run() -> None:
        for path, pause in zip(files, pauses):
            time.sleep(pause)
            tmp = drop / f".{path.name}.part"
            shutil.copyfile(path, tmp)
            os.replace(tmp, drop / path.name)
        done.set()

    thread = threading.Thread(target=run, name="chaos-dropper", daemon=True)
    thread.start()
    return thread


def _ours() -> list[str]:
    """Processes whose environment names our writer limit: serve, its runs, their children."""
    left = []
    for p in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            if p.info["status"] != psutil.STATUS_ZOMBIE and p.environ().get("PRESSWATCH_WRITER_LIMIT") == LIMIT:
                left.append(f"{p.pid} {' '.join(p.info['cmdline'] or [])[:160]}")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return left


def _ledger_rows(warehouse: Path) -> int:
    from warehouse.db import open_db

    if not warehouse.exists():
        return 0
    con = open_db(warehouse, read_only=True, timeout=60)
    try:
        return con.execute("SELECT count(*) FROM ingest_log").fetchone()[0]
    finally:
        con.close()


def test_serve_survives_ten_random_stops_and_kills(prefect_server_process, tmp_path):
    files = _bbc_files(FILES)
    rng = random.Random(SEED)
    root = tmp_path
    drop, warehouse, log_path = root / "drop", root / "w.duckdb", root / "serve.log"
    drop.mkdir()
    dropped = threading.Event()
    _dropper(files, drop, rng, dropped)
    seen: list[psutil.Process] = []
    actions = []

    def start() -> spawn.Served:
        mark = len(log_path.read_text(errors="replace")) if log_path.exists() else 0
        served = spawn.start_serve(prefect_server_process, drop, warehouse, log_path, name=NAME,
                                   writer_limit=LIMIT)
        served.wait_for_log(["watching"], after=mark, timeout=120)
        return served

    for _cycle in range(CYCLES):
        served = start()
        time.sleep(rng.uniform(0.5, 8.0))
        kin = spawn.family(served.proc.pid)
        seen.extend(kin)
        how = rng.choice(["SIGTERM", "SIGKILL"])
        actions.append(how)
        signalled = time.monotonic()
        if how == "SIGTERM":
            served.proc.send_signal(signal.SIGTERM)
            assert served.proc.wait(timeout=60) == 0, served.log()[-4000:]
        else:
            spawn.kill_group(served.proc)
        left = spawn.wait_gone(kin, max(0.0, signalled + 10 - time.monotonic()))
        assert left == [], f"{how}: left running 10 s after: {left}\n{served.log()[-3000:]}"
    assert {"SIGTERM", "SIGKILL"} <= set(actions), actions

    assert dropped.wait(timeout=120)
    served = start()
    try:
        deadline = time.monotonic() + 180
        while True:
            runs = spawn.runs_of(served, NAME)
            busy = [r for r in runs if r.state_type.value in LIVE]
            if _ledger_rows(warehouse) >= FILES and not busy:
                break
            assert served.proc.poll() is None, served.log()[-4000:]
            assert time.monotonic() < deadline, (
                f"{_ledger_rows(warehouse)} of {FILES} files in the ledger, busy: "
                f"{[(r.name, r.state_name) for r in busy]}\n{served.log()[-4000:]}")
            time.sleep(1)
        seen.extend(spawn.family(served.proc.pid))
    finally:
        assert served.stop() == 0, served.log()[-4000:]

    counts = procs.check_invariants(warehouse)
    assert counts["articles"] == FILES, counts
    assert procs.rows(warehouse, "SELECT count(DISTINCT article_id) FROM articles") == [(FILES,)]
    assert counts["ingest_log"] == FILES
    on_disk = sorted(str(p) for p in drop.iterdir())
    assert sorted(r[0] for r in procs.rows(warehouse, "SELECT source_path FROM ingest_log")) == on_disk
    assert procs.rows(warehouse, "SELECT DISTINCT status FROM ingest_log") == [("loaded",)]
    runs = spawn.runs_of(served, NAME)
    assert [(r.name, r.state_name) for r in runs if r.state_type.value in LIVE] == []
    assert spawn.slots_in_use(served, LIMIT) == 0
    assert spawn.wait_gone(seen, 10) == []
    assert _ours() == []
