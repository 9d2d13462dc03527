"""`presswatch run`'s progress: plain lines when stderr is not a terminal."""

from __future__ import annotations

import io

from presswatch.progress import Progress


def test_plain_lines_when_not_a_terminal():
    from flows.progress import _listeners
    from presswatch.cli.progress import shown

    out = io.StringIO()
    with shown(out):
        for listener in list(_listeners):
            p = Progress(10, 2, started=0.0)
            p.batch_done(5, 4)
            listener(p)
    assert _listeners == []
    assert out.getvalue().startswith("presswatch: progress 5/10 files (50%), 4 articles, ")
