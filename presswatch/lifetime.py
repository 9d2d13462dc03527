"""Child processes that never outlive their parent, even when the parent is SIGKILLed.

Linux's PR_SET_PDEATHSIG asks the kernel to signal a process when the thread that forked it
ends. So it is set only where that thread lives as long as its process: through `preexec_fn`,
in servers started from a process's main thread. (The NLP workers are Dask's: its own parent
pipe ends them.) Elsewhere (macOS, Windows) it is a no-op.

And a process's name for later (`this_process`, `process_alive`): how `presswatch serve`
tells a flow run whose process died from one still running.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# Loaded once here: a preexec_fn (between fork and exec) must not search for libraries.
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent(parent_pid: int | None = None, sig: int = signal.SIGKILL) -> bool:
    """Have the kernel send `sig` to this process when its parent ends; True if set.

    parent_pid: the parent expected; if it is already gone (we were reparented before
    prctl took effect), the signal is sent now. Safe in a `preexec_fn`: no locks, no I/O."""
    if _libc is None or _libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os.kill(os.getpid(), sig)
    return True


def die_with_this_process():
    """A `preexec_fn` for subprocess.Popen: the child dies with the calling process (call
    from its main thread: the signal follows the forking thread)."""
    parent = os.getpid()
    return lambda: die_with_parent(parent)


def this_process() -> str:
    """`host:pid:start` naming this process, for `process_alive` to check later (another
    process may get the same PID: its start time then differs)."""
    import psutil

    return f"{socket.gethostname()}:{os.getpid()}:{psutil.Process().create_time():.2f}"


def process_alive(tag: str | None, *, started_before: float | None = None) -> bool | None:
    """Is the process a tag names still running? None: cannot tell (another host, no tag).

    tag: `host:pid:start` (this_process) or `host:pid` (Prefect's infrastructure_pid); for
    the latter, a process started after `started_before` (epoch seconds) has reused the PID."""
    import psutil

    host, _, rest = (tag or "").partition(":")
    pid, _, start = rest.partition(":")
    if not host or not pid.isdigit() or host != socket.gethostname():
        return None
    try:
        proc = psutil.Process(int(pid))
        created, status = proc.create_time(), proc.status()
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except psutil.Error:
        return None
    if status == psutil.STATUS_ZOMBIE:
        return False
    if start:
        return abs(created - float(start)) < 1.0
    return started_before is None or created <= started_before + 1.0
