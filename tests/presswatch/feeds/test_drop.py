"""Item files: hash-named, loaded by the JSON reader with their metadata, written atomically."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from presswatch.discover.folder import is_ignored
from presswatch.feeds.drop import item_json, item_paths, write_atomic
from presswatch.feeds.parse import FeedItem
from presswatch.read.formats import read_file

ITEM = FeedItem(key="../../etc/passwd", guid="../../etc/passwd", url="https://news.example.org/a",
                title="Port strike halts <b>grain</b> shipments",
                body="<p>Dock workers walked out on Monday.</p><p>Talks resume on Tuesday.</p>",
                body_is_summary=False, published_at="2026-11-30T08:15:00+00:00", authors=("Anna de Vries",))


def test_names_are_hashes_under_drop_feeds(tmp_path):
    json_path, page_path = item_paths(tmp_path, "World/../Desk", ITEM.key)
    assert json_path.parent == page_path.parent == tmp_path / "feeds"
    assert json_path.suffix == ".json" and page_path.suffix == ".html" and json_path.stem == page_path.stem
    assert len(json_path.stem) == 32 and all(c in "0123456789abcdef" for c in json_path.stem)
    assert item_paths(tmp_path, "World Desk", "k")[0] != item_paths(tmp_path, "Other", "k")[0]
    assert item_paths(tmp_path, "World Desk", "k") == item_paths(tmp_path, "World Desk", "k")


def test_the_json_reader_loads_the_item_with_its_metadata(tmp_path):
    path = tmp_path / "item.json"
    path.write_bytes(item_json(ITEM, "World Desk"))
    record = json.loads(path.read_text())
    assert record["authors"] == ["Anna de Vries"] and "body_is_summary" not in record
    [article] = read_file(path).articles
    assert article.title == "Port strike halts grain shipments"
    assert article.body == "Dock workers walked out on Monday.\n\nTalks resume on Tuesday."
    assert article.published_at == date(2026, 11, 30)
    assert (article.source, article.url) == ("World Desk", "https://news.example.org/a")


def test_a_summary_only_item_is_flagged():
    teaser = FeedItem("k", "k", None, "T", "Only the teaser.", True, None)
    assert json.loads(item_json(teaser, "F")) == {"title": "T", "body": "Only the teaser.", "source": "F",
                                                  "body_is_summary": True}


def test_write_atomic_leaves_no_part_file_and_skips_identical_bytes(tmp_path):
    path = tmp_path / "feeds" / "abc.json"
    assert write_atomic(path, b"one") is True
    assert path.read_bytes() == b"one" and os.listdir(path.parent) == ["abc.json"]
    mtime = path.stat().st_mtime_ns
    assert write_atomic(path, b"one") is False and path.stat().st_mtime_ns == mtime
    assert write_atomic(path, b"two") is True and path.read_bytes() == b"two"


def test_the_part_file_is_ignored_by_discovery_and_removed_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "abc.json"
    assert is_ignored(path.with_name(f".{path.name}.part"))

    def refuse(src, dst):
        assert Path(src).exists() and is_ignored(Path(src))  # the whole file sits under the ignored name
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, b"data")
    assert os.listdir(tmp_path) == []
