"""A run's progress figures: share done, articles/s and time left, and their one line."""

from __future__ import annotations

from presswatch.progress import Progress, clock


def test_figures_after_two_batches():
    p = Progress(files_total=1000, batches_total=4, started=100.0)
    assert p.eta_seconds(now=110.0) is None and "ETA ?" in p.line(now=110.0)
    p.batch_done(250, 240)
    p.batch_done(250, 250)
    assert p.percent == 50.0
    assert p.articles_per_second(now=150.0) == 490 / 50
    assert p.eta_seconds(now=150.0) == 50.0  # half done in 50 s: 50 s to go
    assert p.line(now=150.0) == "500/1,000 files (50%), 490 articles, 9.8 articles/s, ETA 0:00:50"
    p.batch_done(500, 500)
    assert p.eta_seconds(now=200.0) == 0.0 and p.percent == 100.0


def test_clock():
    assert clock(0) == "0:00:00"
    assert clock(3725.4) == "1:02:05"
