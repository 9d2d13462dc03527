"""Watching the drop folder: which files have settled, and one key per set of files.

A file is taken only when its size and mtime were the same at two looks, so a file still
being written is never read (writing to a temp name and renaming it into place is the
recommended way to drop files: temp names are ignored, and the rename is atomic).

Plain functions and a small state object; the Prefect side (submitting a deployment run)
is a callback, see flows/serve.py.
"""

from __future__ import annotations

import hashlib
import logging
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from presswatch.discover.folder import (Discovery, _excluded, _walk, discover, is_ignored, refusal_key,
                                       sha256_file)
from presswatch.text import plain

log = logging.getLogger("presswatch.discover.watch")

Signature = tuple[int, int]  # (size, mtime_ns)


def snapshot(drop: Path, exclude: frozenset[str] = frozenset()) -> dict[str, Signature]:
    """(size, mtime_ns) of every candidate file under `drop`: one cheap look, nothing read."""
    sigs: dict[str, Signature] = {}
    for path in _walk(Path(drop)):
        if is_ignored(path) or _excluded(path, exclude):
            continue
        try:
            st = path.stat()
        except OSError:  # vanished, or a broken symlink
            continue
        if stat.S_ISREG(st.st_mode):  # FIFOs and devices are never read here (runs quarantine them)
            sigs[str(path)] = (st.st_size, st.st_mtime_ns)
    return sigs


def discover_settled(drop: Path, *, ledger: set[tuple[str, str]], max_file_bytes: int,
                     settle_seconds: float = 0.0, sleep: Callable[[float], None] = time.sleep,
                     exclude: frozenset[str] = frozenset()) -> Discovery:
    """`discover`, taking only files unchanged across two looks `settle_seconds` apart.

    With settle_seconds=0 there is one look, and a file that changes while it is hashed is
    still left for the next run (what `presswatch run` does on a quiet folder: no wait).
    """
    if settle_seconds <= 0:
        return discover(drop, ledger=ledger, max_file_bytes=max_file_bytes, exclude=exclude)
    first = snapshot(drop, exclude)
    sleep(settle_seconds)
    return discover(drop, ledger=ledger, max_file_bytes=max_file_bytes, previous=first, exclude=exclude)


def discover_handed(drop: Path, *, ledger: set[tuple[str, str]], max_file_bytes: int,
                    files: dict[str, Signature], exclude: frozenset[str] = frozenset()) -> Discovery:
    """One look, taking only the new files the watcher handed over, unchanged since its look.

    The watcher saw each of `files` with the same (size, mtime) at two looks; the run checks
    that it is still so. Any other new file is left for the run the watcher starts for it.
    """
    found = discover(drop, ledger=ledger, max_file_bytes=max_file_bytes, exclude=exclude)
    taken = []
    for ref in found.new:
        if tuple(files.get(str(ref.path)) or ()) == (ref.size, ref.mtime_ns):
            taken.append(ref)
        else:
            found.moving.append(ref.path)
    found.new = taken
    return found


def idempotency_key(hashes: Iterable[str], prefix: str = "presswatch-ingest") -> str:
    """One key per set of file contents (order and repeats do not matter)."""
    digest = hashlib.sha256("\n".join(sorted(set(hashes))).encode()).hexdigest()
    return f"{prefix}-{digest[:32]}"


def attempt_key(key: str, attempt: int) -> str:
    """The key of the n-th run for the same files: the first is the key itself; a later one
    (after a run that crashed, was cancelled or failed) adds `-attempt-<n>`, so the old run's
    key never blocks a new run for those files."""
    return key if attempt <= 0 else f"{key}-attempt-{attempt}"


def describe_discovery(found: Discovery, limit: int = 10) -> list[str]:
    """What a run skips and why, in a few log lines (long lists are cut after `limit` names)."""
    lines = []
    for what, why, paths in (
        ("skipped", "already in the ledger (same content, same path)", [r.path for r in found.known]),
        ("left for the next run", "not settled yet (changed between two looks, or not yet handed over "
                                   "by the watcher)", found.moving),
        ("ignored", "hidden or temporary name", found.ignored),
    ):
        if paths:
            names = ", ".join(plain(Path(p).name, 80) for p in paths[:limit])
            more = f" and {len(paths) - limit} more" if len(paths) > limit else ""
            lines.append(f"{what}: {len(paths)} file(s), {why}: {names}{more}")
    return lines


def run_name(drop: Path | str, found: Discovery, limit: int = 3) -> str:
    """A flow-run name that says what the run processes, e.g. 'ingest drop: 3 new (a.txt, b.txt, c.txt)'."""
    new = [plain(r.path.name, 80) for r in found.new]  # file names are untrusted text
    if not new:
        return f"ingest {Path(drop).name}: nothing new ({len(found.known)} known)"
    names = ", ".join(new[:limit]) + (f" +{len(new) - limit}" if len(new) > limit else "")
    return f"ingest {Path(drop).name}: {len(new)} new ({names})"


@dataclass
class SettleTracker:
    """Remembers the last look at the folder and what was already submitted.

    `look()` returns the files that are settled (same size and mtime as at the previous
    look) and whose content was not submitted before, with their sha256. `known` are
    (sha256, path) pairs already in the ledger: files seen by an earlier process.
    """

    drop: Path
    known: set[tuple[str, str]] = field(default_factory=set)
    max_file_bytes: int = 50 * 1024 * 1024  # larger files are keyed by name, size and mtime, not read
    exclude: frozenset[str] = frozenset()  # the warehouse's files (folder.warehouse_files): never input
    last: dict[str, Signature] = field(default_factory=dict)
    submitted: set[str] = field(default_factory=set)  # content hashes handed to a run
    _hashes: dict[str, tuple[Signature, str]] = field(default_factory=dict)
    unsettled: bool = False  # some file changed since the last look: look again soon
    repeats: list[Path] = field(default_factory=list)  # settled at this look, content already handled
    _settled: dict[str, Signature] = field(default_factory=dict)

    def look(self) -> list[tuple[Path, str]]:
        now = snapshot(self.drop, self.exclude)
        settled = [p for p, sig in now.items() if self.last.get(p) == sig]
        self.unsettled = len(settled) < len(now)
        self.last = now
        ready: dict[str, Path] = {}
        self.repeats = []
        for p in settled:
            sha = self._sha(p, now[p])
            if sha is None:
                continue
            if sha in self.submitted or sha in ready or (sha, p) in self.known:
                if self._settled.get(p) != now[p]:
                    self.repeats.append(Path(p))  # e.g. the same file dropped again
            else:
                ready[sha] = Path(p)
            self._settled[p] = now[p]
        self._hashes = {p: v for p, v in self._hashes.items() if p in now}
        self._settled = {p: v for p, v in self._settled.items() if p in now}
        return [(path, sha) for sha, path in ready.items()]

    def mark_submitted(self, hashes: Iterable[str]) -> None:
        self.submitted.update(hashes)

    def _sha(self, path: str, sig: Signature) -> str | None:
        cached = self._hashes.get(path)
        if cached and cached[0] == sig:
            return cached[1]
        if sig[0] > self.max_file_bytes:  # the run quarantines it unread: so do not read it either
            return refusal_key(path, *sig)
        try:
            sha = sha256_file(Path(path))
        except OSError:
            return None
        self._hashes[path] = (sig, sha)
        return sha


# (settled files with their (size, mtime_ns), idempotency key) -> what happened, for the log
Submit = Callable[[dict[str, Signature], str], str]


def watch_folder(drop: Path, submit: Submit, *, stop: threading.Event, settle_seconds: float = 1.0,
                 known: set[tuple[str, str]] | None = None, max_file_bytes: int = 50 * 1024 * 1024,
                 force_polling: bool | None = None, exclude: frozenset[str] = frozenset()) -> None:
    """Watch `drop` until `stop` is set; hand each set of newly settled files to `submit`.

    A change wakes the watcher; it then looks every `settle_seconds` until nothing moves.
    Files settled at two consecutive looks are submitted with a key derived from their
    hashes, so the same contents never start two runs. A failed submit is retried at the
    next look.
    """
    import watchfiles

    tracker = SettleTracker(Path(drop), known=set(known or ()), max_file_bytes=max_file_bytes,
                            exclude=exclude)
    tracker.look()  # first look: what is there now (taken at the next look if unchanged)
    last_look, dirty, retry = time.monotonic(), True, False
    log.info("watching %s (files are taken once unchanged across two looks %.1f s apart)",
             drop, settle_seconds)
    for changes in watchfiles.watch(
            drop, stop_event=stop, debounce=300, step=50, yield_on_timeout=True, rust_timeout=200,
            force_polling=force_polling, raise_interrupt=False,
            watch_filter=lambda _change, path: not is_ignored(Path(path))):
        if stop.is_set():
            break
        dirty = dirty or bool(changes)
        if not (dirty or tracker.unsettled or retry):
            continue  # quiet folder: nothing to look at
        if time.monotonic() - last_look < settle_seconds:
            continue  # two looks are at least settle_seconds apart
        ready = tracker.look()
        last_look, dirty, retry = time.monotonic(), False, False
        if tracker.repeats:
            # plain: a file name is web-controlled text; raw, an ESC or \r could rewrite the terminal.
            log.info("already handled, no new run: %s",
                     ", ".join(plain(p.name, 80) for p in tracker.repeats[:10])
                     + ("..." if len(tracker.repeats) > 10 else ""))
        if not ready:
            continue
        files = [p for p, _ in ready]
        key = idempotency_key(sha for _, sha in ready)
        try:
            outcome = submit({str(p): tracker.last[str(p)] for p in files}, key)
        except Exception as exc:  # the server may be restarting: try again at the next look
            log.warning("could not start a run for %d file(s) (%s); retrying", len(files), exc)
            tracker.last = {}  # forget the look so they are settled again next time
            retry = True
            continue
        tracker.mark_submitted(sha for _, sha in ready)
        log.info("%d settled file(s) [%s]: %s", len(files), ", ".join(plain(p.name, 80) for p in files[:5]), outcome)
