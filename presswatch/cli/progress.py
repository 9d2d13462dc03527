"""`presswatch run`'s progress: a live bar on a terminal (files, articles, articles/s, ETA),
plain lines when the output is a file or a pipe. Fed by flows/progress.py's listeners."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from presswatch.progress import Progress, clock


@contextmanager
def shown(stream: TextIO | None = None) -> Iterator[None]:
    """While the block runs, show each ingest run's progress on `stream` (default stderr)."""
    from flows.progress import console_logs_to, listening

    stream = stream or sys.stderr
    if not _is_terminal(stream):
        with listening(lambda p: _plain(p, stream)):
            yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress as Bar, TaskProgressColumn, TextColumn

    console = Console(file=stream)
    bar = Bar(TextColumn("ingest"), BarColumn(), TaskProgressColumn(), TextColumn("{task.fields[figures]}"),
              console=console, transient=False)
    task = bar.add_task("ingest", total=None, figures="finding files...")

    def update(p: Progress) -> None:
        eta = p.eta_seconds()
        figures = (f"{p.files_done:,}/{p.files_total:,} files · {p.articles_done:,} articles · "
                   f"{p.articles_per_second():.1f} articles/s · ETA {clock(eta) if eta is not None else '?'}")
        bar.update(task, total=p.files_total, completed=p.files_done, figures=figures)

    # Prefect's log lines go through the bar's console: they scroll above it instead of tearing it.
    with bar, console_logs_to(console), listening(update):
        yield


def _plain(p: Progress, stream: TextIO) -> None:
    print(f"presswatch: progress {p.line()}", file=stream, flush=True)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
