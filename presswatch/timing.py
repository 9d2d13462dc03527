"""Stage clocks: busy seconds (wall and CPU) per pipeline stage, summed across batches,
threads and NLP worker processes. Always on (cheap next to a batch); read by
`presswatch bench`, which resets them before a run and prints them after.

Stages: discover, read, spacy (spaCy's pipe, with presswatch's NER fixes and case restoration,
inside the NLP workers when there are some), extract, sentiment, load (rows to Arrow frames +
the DuckDB transaction), report.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_totals: dict[str, list[float]] = {}


@contextmanager
def stage(name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        yield
    finally:
        add(name, time.perf_counter() - wall, time.thread_time() - cpu)


def add(name: str, wall: float, cpu: float, calls: int = 1) -> None:
    with _lock:
        t = _totals.setdefault(name, [0.0, 0.0, 0])
        t[0] += wall
        t[1] += cpu
        t[2] += calls


def merge(totals: dict[str, tuple[float, float, int]]) -> None:
    """Add clocks measured elsewhere (an NLP worker process)."""
    for name, (wall, cpu, calls) in totals.items():
        add(name, wall, cpu, calls)


def snapshot() -> dict[str, dict[str, float]]:
    with _lock:
        return {k: {"wall_s": v[0], "cpu_s": v[1], "calls": int(v[2])} for k, v in _totals.items()}


def reset() -> None:
    with _lock:
        _totals.clear()


def timed(name: str):
    """Decorator form of stage(): the whole call counts as stage `name`."""
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with stage(name):
                return fn(*args, **kwargs)
        return wrapper
    return decorate
