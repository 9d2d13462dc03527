"""`presswatch eval dedup`: the task is known, runs the dedup evaluation and prints its rows."""

from __future__ import annotations

from presswatch.cli import main


def test_eval_dedup_runs_the_dedup_evaluation(tmp_path, monkeypatch, capsys):
    seen = {}

    def fake(eval_dir, agencies_file=None):
        seen["args"] = (eval_dir, agencies_file)
        return [{"task": "dedup syndication", "metric": "pair precision", "value": 99.9, "n": 747}]

    monkeypatch.setattr("presswatch.evaluation.dedup.run_dedup_eval", fake)
    agencies = tmp_path / "agencies.toml"
    monkeypatch.setenv("PRESSWATCH_WIRE_AGENCIES", str(agencies))
    assert main(["eval", "dedup", "--eval-dir", str(tmp_path)]) == 0
    assert seen["args"] == (tmp_path, agencies)
    out = capsys.readouterr().out
    assert "dedup syndication" in out and "99.9" in out


def test_an_unknown_task_lists_dedup(tmp_path, capsys):
    assert main(["eval", "nosuch", "--eval-dir", str(tmp_path)]) == 2
    assert "dedup" in capsys.readouterr().err
