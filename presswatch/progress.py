"""How far an ingest run has got: files and articles done, the rate, the time left.

Filled batch by batch by the flow (flows/progress.py), shown by the CLI's bar and by the run's
Prefect progress artifact; both say the same words, from `line()`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Progress:
    files_total: int
    batches_total: int
    files_done: int = 0
    articles_done: int = 0
    batches_done: int = 0
    started: float = field(default_factory=time.monotonic)

    def batch_done(self, files: int, articles: int) -> None:
        self.files_done += files
        self.articles_done += articles
        self.batches_done += 1

    @property
    def percent(self) -> float:
        return 100.0 if not self.files_total else min(100.0, 100.0 * self.files_done / self.files_total)

    def articles_per_second(self, now: float | None = None) -> float:
        elapsed = (now if now is not None else time.monotonic()) - self.started
        return self.articles_done / elapsed if elapsed > 0 else 0.0

    def eta_seconds(self, now: float | None = None) -> float | None:
        """Seconds left at the pace of the files done so far; None before the first batch."""
        if not self.files_done or self.files_done >= self.files_total:
            return None if not self.files_done else 0.0
        elapsed = (now if now is not None else time.monotonic()) - self.started
        return elapsed * (self.files_total - self.files_done) / self.files_done

    def line(self, now: float | None = None) -> str:
        eta = self.eta_seconds(now)
        return (f"{self.files_done:,}/{self.files_total:,} files ({self.percent:.0f}%), "
                f"{self.articles_done:,} articles, {self.articles_per_second(now):.1f} articles/s, "
                f"ETA {clock(eta) if eta is not None else '?'}")


def clock(seconds: float) -> str:
    """H:MM:SS."""
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
