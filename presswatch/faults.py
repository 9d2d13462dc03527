"""Fault handling shared by the stages: one bad article never takes its batch down, and a
test-only pause point so crash tests can SIGKILL a run at a chosen stage.

`checkpoint(stage)` is inert unless PRESSWATCH_TEST_PAUSE_AT names the stage. It exists for
tests/flows/test_crash_safety.py: there the variable is set to `<stage>` or `<stage>:<n>` (the
n-th time this process reaches the stage, counting from 1); on reaching it the process writes
the marker file PRESSWATCH_TEST_PAUSE_MARKER (if set), then sleeps until it is killed, until
the file PRESSWATCH_TEST_PAUSE_RELEASE (if set) appears, or for at most
PRESSWATCH_TEST_PAUSE_SECONDS (default 300). A release file lets a test resume the run exactly
when it has seen what it wanted, instead of guessing a pause long enough for a slow machine.
Stages: `read` (start of a batch's read), `extract` (start of a batch's extraction), `load`
(inside the load transaction, every row of the batch inserted, before COMMIT), `report` (after
every batch is loaded).
Never set it in production.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from presswatch.errors import OperatorError
from presswatch.records import Article, Extraction

PAUSE_ENV = "PRESSWATCH_TEST_PAUSE_AT"
STAGES = ("read", "extract", "load", "report")
_reached: Counter[str] = Counter()
T = TypeVar("T")
R = TypeVar("R")


def checkpoint(stage: str) -> None:
    """A named point in the pipeline; pauses here only when PRESSWATCH_TEST_PAUSE_AT says so."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted:
        return
    _reached[stage] += 1
    name, _, nth = wanted.partition(":")
    if name != stage or _reached[stage] != int(nth or 1):
        return
    if marker := os.environ.get("PRESSWATCH_TEST_PAUSE_MARKER"):
        # Written aside, then renamed: a test polling for the file never reads it half-written.
        partial = Path(f"{marker}.{os.getpid()}.tmp")
        partial.write_text(f"{stage}:{_reached[stage]} pid {os.getpid()}\n")
        os.replace(partial, marker)
    deadline = time.monotonic() + float(os.environ.get("PRESSWATCH_TEST_PAUSE_SECONDS", "300"))
    release = os.environ.get("PRESSWATCH_TEST_PAUSE_RELEASE")
    while time.monotonic() < deadline:
        if release and Path(release).exists():
            return
        time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))


def describe(exc: BaseException) -> str:
    """One line for ingest_log.error."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


def isolated(stage: str, run: Callable[[list[T]], list[R]], items: list[T],
             failed: Callable[[T, str], R]) -> list[R]:
    """run(items) over the whole batch; if that raises, run([item]) one item at a time, and an
    item whose run raises gets failed(item, "<stage> failed: <error>") as its result.

    The batch path stays the normal one: the item-by-item path costs time only on a batch
    that already failed.
    """
    try:
        return run(items)
    except OperatorError:  # the operator's mistake (a broken themes file), not the items': stop
        raise
    except Exception:  # noqa: BLE001 - isolated below, one item at a time
        pass
    out: list[R] = []
    for item in items:
        try:
            out.extend(run([item]))
        except OperatorError:
            raise
        except Exception as exc:  # noqa: BLE001 - recorded in the ledger, never swallowed
            out.append(failed(item, f"{stage} failed: {describe(exc)}"))
    return out


def isolate(stage: str, run: Callable[[list[Article], list[Extraction]], None],
            articles: list[Article], extractions: list[Extraction]) -> None:
    """A batch step that fills in Extractions, run over the articles not failed yet through
    `isolated`: a culprit's Extraction.error is set, naming the stage."""
    todo = [(a, e) for a, e in zip(articles, extractions, strict=True) if e.error is None]
    if not todo:
        return

    def step(pairs: list[tuple[Article, Extraction]]) -> list[tuple[Article, Extraction]]:
        run([a for a, _ in pairs], [e for _, e in pairs])
        return pairs

    def fail(pair: tuple[Article, Extraction], error: str) -> tuple[Article, Extraction]:
        pair[1].error = error
        return pair

    isolated(stage, step, todo, fail)
