"""Files in motion at discovery: still growing, renamed in, vanished, refused unread."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from presswatch.discover import folder as discover_mod
from presswatch.discover.folder import discover, path_text

LIMIT = 50 * 1024 * 1024


def _look(drop: Path, **kw):
    return discover(drop, ledger=kw.pop("ledger", set()), max_file_bytes=kw.pop("max_file_bytes", LIMIT), **kw)


def _sig(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def test_a_file_appended_to_between_two_looks_waits_for_the_next(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Officials said on Tuesday")
    first = {str(story): _sig(story)}
    with open(story, "a") as fh:  # the writer is still at it
        fh.write(" that the river rose.\n")
    found = _look(tmp_path, previous=first)
    assert found.moving == [story] and found.new == []
    settled = _look(tmp_path, previous={str(story): _sig(story)})
    assert [r.path for r in settled.new] == [story]


def test_a_file_appended_to_while_it_is_hashed_is_left_for_the_next_run(tmp_path, monkeypatch):
    story = tmp_path / "story.txt"
    story.write_text("Officials said on Tuesday")
    real = discover_mod.sha256_file

    def hash_while_growing(path, *args):
        digest = real(path, *args)
        with open(path, "a") as fh:
            fh.write(" that the river rose.\n")
        return digest

    monkeypatch.setattr(discover_mod, "sha256_file", hash_while_growing)
    found = _look(tmp_path)
    assert found.moving == [story] and found.new == [] and found.known == []


def test_a_file_renamed_into_the_folder_is_taken_only_once_in_place(tmp_path):
    part = tmp_path / "story.txt.part"
    part.write_text("Officials said on Tuesday that the river rose.\n")
    found = _look(tmp_path)
    assert found.ignored == [part] and found.new == []
    os.rename(part, tmp_path / "story.txt")
    found = _look(tmp_path)
    assert [r.path.name for r in found.new] == ["story.txt"] and found.ignored == []


def test_a_file_deleted_while_listing_is_not_seen(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "b.txt").write_text("two")
    real = discover_mod._look

    def vanish_b(path, *args, **kwargs):
        if path.name == "b.txt":
            path.unlink()
        return real(path, *args, **kwargs)

    monkeypatch.setattr(discover_mod, "_look", vanish_b)
    found = _look(tmp_path)
    assert [r.path.name for r in found.new] == ["a.txt"] and found.moving == []


def test_a_replaced_file_is_new_again_under_its_new_hash(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Version one.")
    [first] = _look(tmp_path).new
    ledger = {(first.sha256, first.source_path)}
    assert _look(tmp_path, ledger=ledger).known == [first]
    story.write_text("Version two, corrected.")
    [second] = _look(tmp_path, ledger=ledger).new
    assert second.sha256 != first.sha256 and second.source_path == first.source_path


def test_too_large_files_are_refused_without_being_read(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no disk, and reading it would be the bug
    monkeypatch.setattr(discover_mod, "sha256_file", lambda *a: pytest.fail("a refused file was read"))
    [ref] = _look(tmp_path).new
    assert ref.refusal == ("file too large: 209,715,200 bytes exceeds the limit of 52,428,800 "
                           "(PRESSWATCH_MAX_FILE_BYTES)")
    again = _look(tmp_path, ledger={(ref.sha256, ref.source_path)})
    assert again.known == [ref] and again.new == []  # refused once, recorded once


def test_special_files_and_outside_links_are_refused_unread(tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (tmp_path / "secret.txt").write_text("not yours")
    os.symlink(tmp_path / "secret.txt", drop / "link.txt")
    os.symlink(drop / "nowhere.txt", drop / "broken.txt")
    os.mkfifo(drop / "pipe.txt")  # opening it would block the run forever
    (drop / "inside.txt").write_text("Officials said.")
    os.symlink(drop / "inside.txt", drop / "alias.txt")
    refusals = {r.path.name: r.refusal for r in _look(drop).new}
    assert refusals["link.txt"].startswith("symlink points outside the drop folder")
    assert refusals["broken.txt"] == "broken symlink"
    assert refusals["pipe.txt"].startswith("not a regular file (FIFO")
    assert refusals["inside.txt"] is None and refusals["alias.txt"] is None


def test_non_utf8_names_get_one_storable_text(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")  # latin-1 bytes in a name
    (tmp_path / name).write_text("Officials said.")
    [ref] = _look(tmp_path).new
    assert ref.source_path == str(tmp_path) + "/caf\\xe9.txt" == path_text(tmp_path / name)
    ref.source_path.encode("utf-8")
    assert _look(tmp_path, ledger={(ref.sha256, ref.source_path)}).known == [ref]
