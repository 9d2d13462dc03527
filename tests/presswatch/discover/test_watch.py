"""The watcher's pure parts: two-look stability, idempotency keys, what a run is named and logs."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from presswatch.discover.folder import discover, refusal_key, sha256_file
from presswatch.discover.watch import (
    SettleTracker,
    describe_discovery,
    discover_handed,
    discover_settled,
    idempotency_key,
    run_name,
    snapshot,
    watch_folder,
)

BIG = 1 << 20


@contextmanager
def watching(folder: Path, submit, settle_seconds: float) -> Iterator[None]:
    """The real watcher (inotify) over `folder` in a thread, stopped and joined on exit."""
    stop = threading.Event()
    thread = threading.Thread(target=watch_folder, args=(folder, submit),
                              kwargs={"stop": stop, "settle_seconds": settle_seconds}, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def drop_atomically(folder: Path, name: str, text: str) -> Path:
    """The recommended way: write to a temp name, then rename into place."""
    tmp = folder / f"{name}.part"
    tmp.write_text(text)
    os.replace(tmp, folder / name)
    return folder / name


def bump_mtime(path: Path, seconds: int = 5) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


def test_snapshot_lists_candidates_and_skips_temp_and_hidden(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.json.part").write_text("half")
    (tmp_path / ".hidden").write_text("h")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.md").write_text("c")
    sigs = snapshot(tmp_path)
    assert sorted(Path(p).name for p in sigs) == ["a.txt", "c.md"]
    st = (tmp_path / "a.txt").stat()
    assert sigs[str(tmp_path / "a.txt")] == (st.st_size, st.st_mtime_ns)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_snapshot_never_lists_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    assert snapshot(tmp_path) == {}


def test_a_file_is_taken_only_after_two_identical_looks(tmp_path):
    tracker = SettleTracker(tmp_path)
    assert tracker.look() == []
    f = drop_atomically(tmp_path, "a.txt", "first part")
    assert tracker.look() == []  # seen once
    assert tracker.unsettled
    with f.open("a") as fh:  # still being written: size and mtime change
        fh.write(" and more")
    assert tracker.look() == []
    [(path, sha)] = tracker.look()  # unchanged since the last look
    assert path == f and sha == sha256_file(f)
    assert not tracker.unsettled


def test_submitted_content_is_not_taken_again_even_when_dropped_again(tmp_path):
    tracker = SettleTracker(tmp_path)
    f = drop_atomically(tmp_path, "a.txt", "story")
    tracker.look()
    ready = tracker.look()
    tracker.mark_submitted(sha for _, sha in ready)
    drop_atomically(tmp_path, "a.txt", "story")  # same bytes, new mtime
    bump_mtime(f)
    tracker.look()
    assert tracker.look() == []
    assert tracker.repeats == [f]  # said once, for the log
    assert tracker.look() == [] and tracker.repeats == []
    drop_atomically(tmp_path, "copy.txt", "story")  # same content under a new name
    tracker.look()
    assert tracker.look() == []


def test_files_already_in_the_ledger_are_not_taken(tmp_path):
    f = drop_atomically(tmp_path, "a.txt", "old story")
    tracker = SettleTracker(tmp_path, known={(sha256_file(f), str(f))})
    tracker.look()
    assert tracker.look() == []
    g = drop_atomically(tmp_path, "b.txt", "new story")
    tracker.look()
    assert [p for p, _ in tracker.look()] == [g]


def test_a_too_large_file_is_not_read_but_still_handed_over(tmp_path):
    f = drop_atomically(tmp_path, "big.txt", "x" * 100)
    tracker = SettleTracker(tmp_path, max_file_bytes=10)
    tracker.look()
    [(path, key)] = tracker.look()
    assert path == f and key != sha256_file(f)


def test_a_too_large_file_already_in_the_ledger_is_not_submitted_again(tmp_path):
    f = drop_atomically(tmp_path, "big.txt", "x" * 100)
    [ref] = discover(tmp_path, ledger=set(), max_file_bytes=10).new  # what a run writes to the ledger
    assert ref.refusal and ref.sha256 == refusal_key(f, ref.size, ref.mtime_ns)
    tracker = SettleTracker(tmp_path, known={(ref.sha256, ref.source_path)}, max_file_bytes=10)
    tracker.look()
    assert tracker.look() == []
    assert tracker.repeats == [f]  # logged as already handled


def test_idempotency_key_depends_on_the_set_of_contents_only():
    a, b, c = "a" * 64, "b" * 64, "c" * 64
    assert idempotency_key([a, b]) == idempotency_key([b, a, a])
    assert idempotency_key([a, b]) != idempotency_key([a, c])
    assert idempotency_key([a]).startswith("presswatch-ingest-")


def test_discover_settled_leaves_a_file_that_changed_between_the_looks(tmp_path):
    quiet = drop_atomically(tmp_path, "quiet.txt", "done")
    busy = drop_atomically(tmp_path, "busy.txt", "writing")

    def writer_keeps_going(_seconds):
        with busy.open("a") as fh:
            fh.write(" more")

    found = discover_settled(tmp_path, ledger=set(), max_file_bytes=BIG, settle_seconds=1.0,
                             sleep=writer_keeps_going)
    assert [r.path for r in found.new] == [quiet]
    assert found.moving == [busy]


def test_discover_settled_with_no_wait_is_one_look(tmp_path):
    drop_atomically(tmp_path, "a.txt", "a")
    slept = []
    found = discover_settled(tmp_path, ledger=set(), max_file_bytes=BIG, settle_seconds=0, sleep=slept.append)
    assert slept == [] and len(found.new) == 1


def test_discover_handed_takes_only_the_handed_files_if_unchanged(tmp_path):
    a = drop_atomically(tmp_path, "a.txt", "a")
    b = drop_atomically(tmp_path, "b.txt", "b")
    c = drop_atomically(tmp_path, "c.txt", "c")
    sigs = snapshot(tmp_path)
    handed = {str(a): sigs[str(a)], str(b): sigs[str(b)]}
    bump_mtime(b)  # touched after the watcher's look
    found = discover_handed(tmp_path, ledger=set(), max_file_bytes=BIG, files=handed)
    assert [r.path for r in found.new] == [a]
    assert sorted(found.moving) == [b, c]


def test_run_name_and_log_lines_say_what_was_processed_and_skipped(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        drop_atomically(tmp_path, name, name)
    (tmp_path / "e.txt.tmp").write_text("temp")
    found = discover(tmp_path, ledger=set(), max_file_bytes=BIG)
    assert run_name(tmp_path, found) == f"ingest {tmp_path.name}: 4 new (a.txt, b.txt, c.txt +1)"
    known = discover(tmp_path, ledger={(r.sha256, str(r.path)) for r in found.new}, max_file_bytes=BIG)
    assert run_name(tmp_path, known) == f"ingest {tmp_path.name}: nothing new (4 known)"
    lines = describe_discovery(known, limit=2)
    assert lines[0] == "skipped: 4 file(s), already in the ledger (same content, same path): a.txt, b.txt and 2 more"
    assert lines[1].startswith("ignored: 1 file(s), hidden or temporary name: e.txt.tmp")


def test_watch_folder_submits_settled_files_once(tmp_path):
    """The real watcher (inotify) over a temp folder, with a fake submit: no Prefect here."""
    calls: list[tuple[dict, str]] = []
    submitted = threading.Event()

    def submit(files, key):
        calls.append((files, key))
        submitted.set()
        return "ok"

    with watching(tmp_path, submit, settle_seconds=0.3):
        time.sleep(0.5)
        a = drop_atomically(tmp_path, "a.txt", "alpha")
        b = drop_atomically(tmp_path, "b.txt", "beta")
        assert submitted.wait(10), "the watcher did not submit within 10 s"
        time.sleep(1.0)  # a second batch would arrive by now
        files = {p for f, _ in calls for p in f}
        assert files == {str(a), str(b)}
        for handed, key in calls:  # each run's key is its files' contents
            assert key == idempotency_key(sha256_file(Path(p)) for p in handed)
            assert all(sig == snapshot(tmp_path)[p] for p, sig in handed.items())
        n = len(calls)
        drop_atomically(tmp_path, "a.txt", "alpha")  # the same file again
        time.sleep(1.5)
        assert len(calls) == n


def test_watch_folder_retries_a_failed_submit(tmp_path):
    attempts: list[str] = []
    done = threading.Event()

    def flaky_submit(files, key):
        attempts.append(key)
        if len(attempts) == 1:
            raise ConnectionError("server restarting")
        done.set()
        return "ok"

    with watching(tmp_path, flaky_submit, settle_seconds=0.2):
        time.sleep(0.4)
        drop_atomically(tmp_path, "a.txt", "alpha")
        assert done.wait(10)
        assert attempts[0] == attempts[1]


def test_watch_logs_a_hostile_file_name_escaped(tmp_path, caplog):
    # `presswatch serve` prints these log lines to a terminal: a name's ESC or \r must not reach it.
    done = threading.Event()

    def submit(files, key):
        done.set()
        return "ok"

    name = "a\x1b]8;;https:evil.example\x1b\\click\x1b[2J\rforged.txt"
    with caplog.at_level("INFO", logger="presswatch.discover.watch"), watching(tmp_path, submit, 0.2):
        time.sleep(0.4)
        drop_atomically(tmp_path, name, "alpha")
        assert done.wait(10)
        time.sleep(0.3)
    lines = [r.getMessage() for r in caplog.records if "settled file" in r.getMessage()]
    assert lines and not any(c in line for line in lines for c in "\x1b\r")
    assert "a\\x1b]8;;https:evil.example\\x1b\\click\\x1b[2J\\rforged.txt" in lines[0]
