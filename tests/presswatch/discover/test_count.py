"""count_candidates: the cheap estimate of a run's size that `presswatch run` warms up for."""

from __future__ import annotations

from presswatch.discover.folder import count_candidates


def test_counts_what_discovery_would_look_at_and_stops_early(tmp_path):
    for name in ("a.txt", "b.json", "sub/c.md", ".hidden", "d.txt.part", ".git/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert count_candidates(tmp_path, stop=100) == 3  # hidden, temp and dot-folder files are not
    assert count_candidates(tmp_path, stop=2) == 2
    assert count_candidates(tmp_path / "missing", stop=10) == 0
