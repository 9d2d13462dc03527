"""Issue 12 at discovery: one bad entry never stops a run, nothing is skipped unsaid, and the
warehouse's own files are never input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from presswatch.discover import folder as folder_mod
from presswatch.discover.folder import describe_set_aside, discover, warehouse_files
from presswatch.discover.watch import SettleTracker, snapshot

LIMIT = 50 * 1024 * 1024
STORY = "The harbour reopened on Monday after the storm, port officials said.\n"


def _look(drop: Path, **kw):
    return discover(drop, ledger=kw.pop("ledger", set()), max_file_bytes=LIMIT, **kw)


def test_a_symlink_loop_is_quarantined_and_the_rest_is_taken(tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    os.symlink("self.txt", tmp_path / "self.txt")
    os.symlink("pong.txt", tmp_path / "ping.txt")
    os.symlink("ping.txt", tmp_path / "pong.txt")
    found = _look(tmp_path)
    by_name = {r.path.name: r for r in found.new}
    assert by_name["a.txt"].refusal is None and by_name["a.txt"].sha256
    for name in ("self.txt", "ping.txt", "pong.txt"):
        assert "symlink loop" in by_name[name].refusal.lower()
        assert by_name[name].sha256  # a ledger key: recorded once, then known
    again = _look(tmp_path, ledger={(r.sha256, r.source_path) for r in found.new})
    assert again.new == [] and len(again.known) == 4


def test_any_entry_that_raises_while_looked_at_is_quarantined(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "locked.txt").write_text(STORY)
    real = Path.lstat

    def lstat(self, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "lstat", lstat)
    found = _look(tmp_path)
    refusals = {r.path.name: r.refusal for r in found.new}
    assert refusals["a.txt"] is None
    assert refusals["locked.txt"] == "cannot be looked at: Permission denied (check the file's permissions)"


def test_a_folder_that_cannot_be_listed_is_quarantined_not_dropped(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "hidden_from_us.txt").write_text(STORY)
    (tmp_path / "a.txt").write_text(STORY)
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "sub":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = _look(tmp_path)
    refusals = {r.path.name: r.refusal for r in found.new}
    assert refusals == {"a.txt": None, "sub": "cannot list folder: Permission denied"}


def test_an_unlistable_drop_folder_is_an_error_not_an_empty_run(tmp_path, monkeypatch):
    def scandir(path="."):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(PermissionError):
        _look(tmp_path)


def test_folder_symlinks_are_not_followed_but_counted_and_said(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(STORY)
    os.symlink("sub", tmp_path / "again")
    os.symlink("/", tmp_path / "root")
    found = _look(tmp_path)
    assert [r.path.name for r in found.new] == ["a.txt"]
    assert sorted(p.name for p in found.folder_links) == ["again", "root"]
    assert describe_set_aside(found, tmp_path / "w.duckdb") == [
        "not followed: 2 symlink(s) to folders: again, root"]


def test_the_warehouse_inside_the_drop_folder_is_never_input(tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    for name in ("w.duckdb", "w.duckdb.wal"):
        (tmp_path / name).write_bytes(b"DUCK" * 100)
    (tmp_path / "w.duckdb.tmp").mkdir()
    (tmp_path / "w.duckdb.tmp" / "spill.block").write_bytes(b"x")
    exclude = warehouse_files(tmp_path / "w.duckdb")
    found = _look(tmp_path, exclude=exclude)
    assert [r.path.name for r in found.new] == ["a.txt"]
    assert sorted(p.name for p in found.excluded) == ["spill.block", "w.duckdb", "w.duckdb.wal"]
    [line] = describe_set_aside(found, tmp_path / "w.duckdb")
    assert "is inside the drop folder" in line and "never taken as input" in line
    # the watcher's looks leave them out too, so loads never wake it into a run
    assert list(snapshot(tmp_path, exclude)) == [str(tmp_path / "a.txt")]
    tracker = SettleTracker(tmp_path, exclude=exclude)
    tracker.look()
    assert [p.name for p, _ in tracker.look()] == ["a.txt"]


def test_a_relative_warehouse_path_is_excluded_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("drop").mkdir()
    Path("drop/w.duckdb").write_bytes(b"DUCK")
    found = _look(Path("drop"), exclude=warehouse_files("drop/w.duckdb"))
    assert found.new == [] and found.excluded == [Path("drop/w.duckdb")]


def test_walk_reports_no_symlink_folder_as_a_file(tmp_path):
    (tmp_path / "sub").mkdir()
    os.symlink("sub", tmp_path / "link")
    assert list(folder_mod._walk(tmp_path)) == []
