"""The extract stage on Dask (flows/executors.py): the same warehouse as the local mode, field
for field, and a Dask worker SIGKILLed mid-chunk costs no article and loads none twice."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections import OrderedDict
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS
from tests.flows import procs

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]

INPUTS = ROOT / "tests" / "fixtures" / "inputs"


def small_corpus(root: Path) -> Path:
    """seeds/ and the reader fixtures: every input format, a duplicate and a broken file."""
    drop = root / "drop"
    shutil.copytree(SEEDS, drop)
    shutil.copytree(INPUTS, drop / "inputs")
    return drop


@pytest.fixture(autouse=True)
def fresh_copy_cache(monkeypatch):
    """extract_all (in this process) skips articles it parsed lately: each test sends every article."""
    from presswatch.extract import workers

    monkeypatch.setattr(workers, "_recent", OrderedDict())


def params_for(drop: Path, warehouse: Path, **options):
    from flows.ingest import IngestParams

    return IngestParams(drop=drop, warehouse=warehouse, batch_size=8, sentiment_method="lexicon", **options)


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The local mode's warehouse over the small corpus (in-process NLP, as auto picks for it)."""
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("dask-local")
    drop = small_corpus(root)
    summary = ingest(params_for(drop, root / "local.duckdb"))
    assert summary.articles_loaded > 20  # a corpus worth comparing
    return drop, root / "local.duckdb", summary


# Columns that hold the load's moment, beyond warehouse/diff.py's VOLATILE: a story ordinal
# embeds ingested_at (warehouse/stories.py), the search index records when it was built.
LOAD_MOMENT = {"ordinal", "updated_at", "built_at", "seconds", "last_ingested_at"}


def assert_same_warehouse(expected: Path, actual: Path) -> None:
    from warehouse import diff

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(diff, "VOLATILE", diff.VOLATILE | LOAD_MOMENT)
        report = diff.compare(expected, actual)
    assert any(name == "articles" and rows > 0 for name, rows, _, _ in report)
    differing = [(name, only_old, only_new) for name, _, only_old, only_new in report if only_old or only_new]
    assert differing == [], f"relations that differ between local and dask: {differing}"


def corpus_articles(drop: Path):
    from presswatch.discover.folder import discover
    from presswatch.read.batch import read_files

    found = discover(drop, ledger=set(), max_file_bytes=10**7)
    return [a for outcome in read_files(found.new) for a in outcome.articles]


def test_dask_workers_return_every_field_of_every_extraction_as_in_process(tmp_path):
    """Extraction by Extraction, field by field (dataclass equality, nested records included)."""
    from prefect import flow

    from flows.executors import extract_executor
    from presswatch.extract import workers
    from presswatch.extract.workers import CHUNK_ARTICLES, extract_all

    articles = corpus_articles(small_corpus(tmp_path))
    assert len(articles) > 2 * CHUNK_ARTICLES  # several chunks in each half below
    expected = extract_all(articles, model=params_for(tmp_path, tmp_path / "w").model, workers=0,
                           sentiment_method="lexicon")
    workers._recent.clear()  # or the Dask side would find every article parsed already

    @flow
    def on_dask() -> list:
        with extract_executor(params_for(tmp_path, tmp_path / "w", executor="dask", nlp_workers=2)) as ex:
            half = len(articles) // 2
            halves = [ex.submit(articles[:half], last=False), ex.submit(articles[half:], last=True)]
            return [e for h in halves for e in h.result()]

    actual = on_dask()
    assert [e.article_id for e in actual] == [a.article_id for a in articles]
    assert sum(len(e.mentions) for e in actual) > 0 and any(e.tone for e in actual)
    assert actual == expected


def test_dask_local_cluster_loads_the_same_rows_as_the_local_mode(local_run, tmp_path):
    from flows.ingest import ingest

    drop, local_wh, local_summary = local_run
    summary = ingest(params_for(drop, tmp_path / "dask.duckdb", executor="dask", nlp_workers=2))
    assert summary.articles_loaded == local_summary.articles_loaded
    assert_same_warehouse(local_wh, tmp_path / "dask.duckdb")


def test_a_worker_killed_mid_chunk_is_rescheduled_and_every_article_loads_once(local_run, tmp_path, monkeypatch):
    """A real LocalCluster of two worker processes; both pause inside their first extract, one
    is SIGKILLed there, then they are released: Dask reruns the dead worker's chunk elsewhere."""
    from distributed import Client, LocalCluster

    from flows.ingest import ingest
    from presswatch.extract.dask_worker import local_cluster_options

    drop, local_wh, local_summary = local_run
    marker, release = tmp_path / "paused", tmp_path / "release"
    # Read by presswatch/faults.py in the worker processes, which inherit this environment.
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_AT", "extract-chunk")  # in a worker, not the flow's extract
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_MARKER", str(marker))
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_RELEASE", str(release))
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_SECONDS", "120")
    killed: list[int] = []

    def kill_one_paused_worker() -> None:
        deadline = time.monotonic() + 180
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if marker.exists():
            pid = int(marker.read_text().split("pid")[1])
            assert pid in worker_pids, (pid, worker_pids)
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        release.touch()

    with LocalCluster(**local_cluster_options(2)) as cluster, Client(cluster) as client:
        worker_pids = set(client.run(os.getpid).values())
        killer = threading.Thread(target=kill_one_paused_worker, daemon=True)
        killer.start()
        wh = tmp_path / "killed.duckdb"
        summary = ingest(params_for(drop, wh, executor="dask", dask_address=cluster.scheduler_address))
        killer.join(timeout=30)
        assert killed, "no worker reached the extract pause point"
        assert killed[0] not in set(client.run(os.getpid).values())  # it really died (the nanny restarted it)
    assert summary.articles_loaded == local_summary.articles_loaded
    procs.check_invariants(wh)
    assert_same_warehouse(local_wh, wh)
