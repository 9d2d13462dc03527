"""`presswatch bench` on a tiny generated corpus: every figure is there and the counts add up.
No timing is asserted (speed is measured by the benchmark, not by tests)."""

from __future__ import annotations

import json

import pytest

from flows.bench import STAGES, Options, render, run_bench

STORY = ("{name} said on Monday that the council would spend over {n} million pounds on new "
         "schools. \"We are proud of it,\" {name} told reporters in Leeds.\n\n"
         "Critics said the plan was late.")
NAMES = ["Anna Fischer", "Tom Okafor", "Lena Park", "Raj Patel", "Mia Rossi",
         "Olu Adeyemi", "Sara Kim", "Ben Cohen"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for i, name in enumerate(NAMES):
        (corpus / f"{i:03d}.txt").write_text(f"Story {i}\n\n" + STORY.format(name=name, n=i + 2))
    (corpus / "copy_of_000.txt").write_text((corpus / "000.txt").read_text())  # a duplicate
    (corpus / "broken.json").write_text('{"title": "x", "body": ')  # quarantined
    work = tmp_path_factory.mktemp("bench")
    return run_bench(Options(corpus=str(corpus), workers=0, workdir=work), say=lambda _: None)


@pytest.mark.slow
def test_report_has_every_figure(report):
    raw, e2e = report["raw"], report["e2e"]
    for key in ("texts", "words", "seconds", "articles_per_s", "words_per_s", "peak_pss_mb", "peak_rss_mb", "cpu"):
        assert key in raw, key
    for key in ("wall_s", "articles_per_s", "words_per_s", "ratio", "ratio_with_server_start",
                "cpu_ratio", "peak_pss_mb", "peak_rss_mb", "stages", "prefect", "rows", "duckdb_rows_per_s",
                "second_run_s"):
        assert key in e2e, key
    assert set(e2e["stages"]) == set(STAGES)
    assert {"server_start_s", "task_runs", "per_task_ms", "tasks_s", "flow_run_s"} <= set(e2e["prefect"])
    assert report["machine"]["cpus"] >= 1 and len(report["load_before"]) == 3
    text = render(report)
    for label in ("ratio b/a", "words/s", "peak PSS MB (process tree)", "peak PSS without the Prefect server",
                  "peak RSS MB (summed", "memory sampler", "second run", "DuckDB", "spacy", "load"):
        assert label in text, label
    json.dumps(report)  # what --json writes


@pytest.mark.slow
def test_memory_is_pss_summed_over_the_tree(report):
    """PSS counts a shared page once across the tree, RSS once per process: summed PSS is never
    above summed RSS, and both are real sizes of a Python process with spaCy loaded."""
    for side in (report["raw"], report["e2e"]):
        assert 50 < side["peak_pss_mb"] <= side["peak_rss_mb"]
        assert 0 <= side["memory_sampler_cpu_s"] < 5


@pytest.mark.slow
def test_counts_add_up(report):
    raw, e2e = report["raw"], report["e2e"]
    assert report["corpus"]["files"] == 10
    assert e2e["files"] == 10
    assert e2e["files_loaded"] + e2e["files_duplicate"] + e2e["files_quarantined"] == 10
    assert (e2e["files_loaded"], e2e["files_duplicate"], e2e["files_quarantined"]) == (8, 1, 1)
    # Like with like: side (a) parses the 8 unique bodies presswatch loads.
    assert raw["texts"] == e2e["articles_loaded"] == e2e["rows"]["articles"] == 8
    assert raw["words"] > 0 and e2e["words_per_s"] > 0
    assert e2e["rows_written"] >= e2e["rows"]["articles"] + e2e["rows"]["sentences"]
    assert e2e["second_run_loaded"] == 0  # the unchanged folder adds nothing
    stages = e2e["stages"]
    assert stages["read"]["calls"] == stages["load"]["calls"] == 1  # one batch
    assert stages["spacy"]["wall_s"] > 0 and stages["load"]["wall_s"] > 0


@pytest.mark.slow
@pytest.mark.quality
def test_scaling_reports_wall_and_cpu_per_article(eval_data, tmp_path):
    """`--scaling` on two tiny levels of real Reuters items: probes of the same texts, their
    wall and CPU cost per article relative to the first, the second run and the views."""
    report = run_bench(Options(corpus="none", scaling=[20, 40], probe=10, workers=0,
                               eval_dir=eval_data, workdir=tmp_path), say=lambda _: None)
    sc = report["scaling"]
    assert [p["level"] for p in sc["levels"]] == [20, 40]
    for p in sc["levels"]:
        assert p["articles"] > 0 and p["ms_per_article"] > 0 and p["cpu_ms_per_article"] > 0
        assert p["words"] > 10 * p["articles"] and p["cpu_ms_per_kword"] > 0
    # every probe parses the same texts (as new articles): only the warehouse's size differs
    assert len({(p["articles"], p["words"]) for p in sc["levels"]}) == 1
    first = sc["levels"][0]
    assert first["vs_first"] == first["cpu_ms_per_article_vs_first"] == first["cpu_ms_per_kword_vs_first"] == 1.0
    assert sc["rows"]["articles"] >= sum(p["articles"] for p in sc["levels"])
    assert "share_of_voice" in sc["views"]
    text = render(report)
    assert "CPU ms/art" in text and "CPU ms/kw" in text and "second run over the unchanged folder" in text


def test_memory_sampler_catches_a_childs_peak_with_few_pss_walks():
    """A child process that allocates ~200 MB, holds it, frees it and idles: the sampler's peak
    PSS holds the allocation, though PSS is walked only on a new RSS high or every pss_every s."""
    import subprocess
    import sys
    import time

    from flows.bench import _MemorySampler

    code = ("import time; time.sleep(0.6); b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); "
            "time.sleep(1.5); del b; time.sleep(2.5)")
    wrapper = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {code!r}])"  # the peak is a child's
    parent = subprocess.Popen([sys.executable, "-c", wrapper])
    sampler = _MemorySampler(parent.pid, every=0.1, pss_every=1.0)
    sampler.start()
    parent.wait(timeout=30)
    time.sleep(0.2)
    sampler.stop()
    peaks = sampler.peaks()
    assert peaks["tree_mb"] >= 200 and peaks["tree_mb"] <= peaks["rss_tree_mb"]
    # the idle seconds after the peak are not walked every 0.1 s
    assert 1 <= peaks["pss_samples"] < peaks["samples"] / 2
