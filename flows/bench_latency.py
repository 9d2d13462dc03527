"""Watch-mode latency: seconds from a file landing in the drop folder to its rows being queryable.

Starts a throwaway Prefect server (its own PREFECT_HOME, SQLite) and `presswatch serve` with
its defaults on a temp folder, then drops N distinct articles one at a time (temp name, then
rename: the recommended way) and polls the warehouse read-only until each article's row is
there. Prints nothing; `format_result` makes the line. Used by `presswatch serve
--measure-latency N` and by the benchmark command.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows.localserver import LocalPrefectServer

GOAL_SECONDS = 15.0
_BODY = """date 2024-03-0{day} Bench wire {i}: ministers meet in Geneva on the water accord. AFP

Ministers from {n} countries met in Geneva on Tuesday to discuss the water accord, officials said.

"We have made progress, but the work is not finished," said the chair of the talks, Maria Lopez.

Delegates agreed to meet again next month. Reference {token}.
"""


def article_text(i: int, token: str) -> str:
    """A small distinct article (its normalized text, hence its article_id, differs per i)."""
    return _BODY.format(i=i, n=10 + i, day=1 + i % 9, token=token)


def measure_watch_latency(n: int = 5, *, settle_seconds: float | None = None, poll_seconds: float = 1.0,
                          timeout: float = 120.0, workdir: Path | None = None) -> dict:
    """Median (and min, max, each) seconds from rename-into-place to the row being queryable."""
    if n < 1:
        raise ValueError("n must be at least 1")
    root = Path(workdir or tempfile.mkdtemp(prefix="presswatch-latency-"))
    try:
        return _measure(root, n, settle_seconds, poll_seconds, timeout)
    finally:
        if workdir is None:
            shutil.rmtree(root, ignore_errors=True)


def _measure(root: Path, n: int, settle_seconds: float | None, poll_seconds: float, timeout: float) -> dict:
    from warehouse.db import open_db

    drop, warehouse, log_path = root / "drop", root / "w.duckdb", root / "serve.log"
    drop.mkdir(parents=True, exist_ok=True)
    latencies: list[float] = []
    with LocalPrefectServer(root / "prefect-home") as server:
        env = server.env()
        cmd = [sys.executable, "-m", "presswatch.cli", "serve", str(drop), "--warehouse", str(warehouse),
               "--interval", "3600", "--poll", str(poll_seconds), "--name", "latency-bench"]
        if settle_seconds is not None:
            cmd += ["--settle", str(settle_seconds)]
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1])
        try:
            _wait_for(lambda: "serving ingest/" in log_path.read_text(errors="replace"), 90, proc, log_path)
            token = os.urandom(6).hex()
            for i in range(n):
                name = f"bench_{i:03d}.txt"
                tmp = drop / f"{name}.part"
                tmp.write_text(article_text(i, token))
                landed = time.monotonic()
                os.replace(tmp, drop / name)
                target = str(drop / name)

                def queryable(target: str = target) -> bool:
                    if not warehouse.exists():
                        return False
                    con = open_db(warehouse, read_only=True, timeout=timeout, on_wait=lambda _t: None)
                    try:
                        if not con.execute("SELECT count(*) FROM duckdb_tables() "
                                           "WHERE table_name = 'articles'").fetchone()[0]:
                            return False
                        return con.execute("SELECT count(*) FROM articles WHERE source_path = ?",
                                           [target]).fetchone()[0] > 0
                    finally:
                        con.close()

                _wait_for(queryable, timeout, proc, log_path, every=0.25)
                latencies.append(round(time.monotonic() - landed, 2))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
    return {
        "n": n,
        "median_s": round(statistics.median(latencies), 2),
        "min_s": min(latencies),
        "max_s": max(latencies),
        "latencies_s": latencies,
        "goal_s": GOAL_SECONDS,
        "settle_seconds": settle_seconds if settle_seconds is not None else 1.0,
        "poll_seconds": poll_seconds,
    }


def format_result(r: dict) -> str:
    verdict = "meets" if r["median_s"] <= r["goal_s"] else "misses"
    return (f"watch latency: median {r['median_s']:.1f} s from a file landing to its rows being queryable "
            f"over {r['n']} file(s) (min {r['min_s']:.1f}, max {r['max_s']:.1f}; {verdict} the goal "
            f"of <= {r['goal_s']:.0f} s; settle {r['settle_seconds']:g} s, runner poll {r['poll_seconds']:g} s)")


def _wait_for(check, timeout: float, proc: subprocess.Popen, log_path: Path, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if proc.poll() is not None:
            raise RuntimeError(f"presswatch serve exited ({proc.returncode}):\n"
                               + log_path.read_text(errors="replace")[-3000:])
        time.sleep(every)
    raise TimeoutError(f"not done within {timeout:.0f} s; serve log:\n" + log_path.read_text(errors="replace")[-3000:])
