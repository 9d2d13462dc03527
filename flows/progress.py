"""An ingest run's progress, batch by batch: a Prefect progress artifact in the UI (every run,
served or not), and the listeners of this process (`presswatch run`'s bar) told the same."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.logging.handlers import PrefectConsoleHandler

from presswatch.progress import Progress
from presswatch.text import markdown

Listener = Callable[[Progress], None]
_listeners: list[Listener] = []
log = logging.getLogger(__name__)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Call `listener` with the Progress of every ingest run of this process, at its start and
    after each batch loaded."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


class RunProgress:
    """One run's progress: created when the run knows its files, updated per batch loaded."""

    def __init__(self, files_total: int, batches_total: int, drop: str):
        self.state = Progress(files_total, batches_total)
        self.drop = drop
        self.artifact = None
        try:
            self.artifact = create_progress_artifact(0.0, key="ingest-progress", description=self._describe())
        except Exception as exc:  # the UI's view of progress must never fail a run
            log.warning("progress artifact not created: %s", exc)
        self._tell()

    def batch_loaded(self, files: int, articles: int) -> None:
        self.state.batch_done(files, articles)
        if self.artifact is not None:
            try:
                update_progress_artifact(self.artifact, self.state.percent, description=self._describe())
            except Exception as exc:
                log.warning("progress artifact not updated: %s", exc)
        self._tell()

    def _describe(self) -> str:
        return f"ingest of {markdown(self.drop)}: {self.state.line()}"

    def _tell(self) -> None:
        for listener in list(_listeners):
            listener(self.state)


@contextmanager
def console_logs_to(console: object) -> Iterator[None]:
    """Prefect's console log lines printed through `console` (a rich Console) for a while, so
    they scroll above a live progress bar instead of tearing it."""
    handlers = [h for h in _all_handlers() if isinstance(h, PrefectConsoleHandler)]
    saved = [h.console for h in handlers]
    for h in handlers:
        h.console = console
    try:
        yield
    finally:
        for h, c in zip(handlers, saved):
            h.console = c


def _all_handlers() -> list[logging.Handler]:
    loggers = [logging.getLogger()] + [lg for lg in logging.Logger.manager.loggerDict.values()
                                       if isinstance(lg, logging.Logger)]
    return [h for lg in loggers for h in lg.handlers]
