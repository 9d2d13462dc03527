"""Reading files that moved after discovery, were refused, or hold any bytes at all."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presswatch.discover.folder import FileRef
from presswatch.read.batch import FileOutcome, read_one

STORY = "date 2024-03-12 Floods in Riga AFP\n\nOfficials said on Tuesday that the river rose.\n"


def _ref(path: Path) -> FileRef:
    data = path.read_bytes()
    return FileRef(path, len(data), path.stat().st_mtime_ns, hashlib.sha256(data).hexdigest())


def test_a_file_deleted_between_discovery_and_reading_is_left_for_the_next_run(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    ref = _ref(story)
    story.unlink()
    outcome = read_one(ref)
    assert outcome.moved and outcome.error is None and outcome.articles == []


def test_a_file_changed_between_discovery_and_reading_is_not_read_half_new(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    ref = _ref(story)
    with open(story, "a") as fh:
        fh.write("More news arrived while we looked.\n")
    outcome = read_one(ref)
    assert outcome.moved and outcome.articles == []


def test_a_refused_file_is_quarantined_unread(tmp_path):
    ref = FileRef(tmp_path / "nope.txt", 10**9, 1, "k", "file too large: ...")
    assert read_one(ref) == FileOutcome(ref, error="file too large: ...")


def test_a_reader_crash_quarantines_its_file_not_the_batch(tmp_path, monkeypatch):
    # A library bug on odd bytes (feedparser's UnicodeEncodeError on "&#xD800;") escaped read_one
    # and failed the read task: every file of the batch, and of every rerun, stayed unread.
    from presswatch.read import batch

    def explode(path, data, **kwargs):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(batch, "read_file", explode)
    story = tmp_path / "story.rss"
    story.write_text(STORY)
    outcome = read_one(_ref(story))
    assert outcome.error == ("could not be read (reader failed): UnicodeEncodeError: 'utf-8' codec can't "
                             "encode character '\\ud800' in position 0: surrogates not allowed")
    assert outcome.articles == [] and not outcome.moved


def test_articles_are_stored_under_the_storable_path(tmp_path):
    import os

    story = tmp_path / os.fsdecode(b"na\xefve.txt")
    story.write_text(STORY)
    [article] = read_one(_ref(story)).articles
    assert article.source_path.endswith("/na\\xefve.txt")

SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".csv", ""]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(SUFFIXES), data=st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=1000).map(lambda t: t.encode("utf-16")),
    st.sampled_from([b'{"body": ', b'[{"title":', b"<html><p>", b"\xef\xbb\xbf", b"PK\x03\x04"]).flatmap(
        lambda head: st.binary(max_size=400).map(lambda tail: head + tail)),
))
def test_any_bytes_make_an_outcome_never_an_exception(tmp_path, suffix, data):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    outcome = read_one(_ref(path))
    assert not outcome.moved
    assert (outcome.error is None) == bool(outcome.articles)
    if outcome.error is not None:
        assert outcome.error.strip() and "\n" not in outcome.error
    for article in outcome.articles:
        article.body.encode("utf-8")
        assert article.body.strip() and article.source_path == str(path)
