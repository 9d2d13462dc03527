"""SIGTERM does what Ctrl-C does, in `presswatch run` and `presswatch serve`.

Both become KeyboardInterrupt in the main thread, once: the flow run ends Crashed (Prefect's
engine reports it), the batch being loaded rolls back (its `except BaseException`), the
writer slot is released, and the NLP pool and servers are stopped in order. A second signal
while stopping is ignored, so that cleanup is not cut short. SIGINT is set explicitly: a
shell's background job inherits it ignored.
"""

from __future__ import annotations

import signal
import sys

# Exit status of a run stopped by a signal (the shell's 128 + SIGINT).
STOPPED = 128 + signal.SIGINT

_stopping = False


def _interrupt(signum: int, _frame: object) -> None:
    global _stopping
    if _stopping:
        return
    _stopping = True
    print(f"presswatch: {signal.Signals(signum).name} received, stopping "
          "(the batch being loaded commits or rolls back)...", file=sys.stderr, flush=True)
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Install the handlers (main thread only)."""
    global _stopping
    _stopping = False
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
