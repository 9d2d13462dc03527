"""After each ingest: the search index is current, saved searches' new hits are in search_hits
(once each), and the run's progress reached the UI's artifact and this process's listeners."""

from __future__ import annotations

import pytest

from tests.flows import procs
from tests.flows.conftest import seed_run

pytestmark = pytest.mark.usefixtures("prefect_server")

SEARCHES = """
[[search]]
name = "blinken"
query = 'entity:"Antony Blinken" OR blinken'

[[search]]
name = "nothing"
query = '"no such words anywhere"'
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """Two runs over the seeds with a searches.toml; the progress this process was told."""
    from flows.ingest import ingest
    from flows.progress import listening

    root = tmp_path_factory.mktemp("search")
    (root / "searches.toml").write_text(SEARCHES)
    params = seed_run(root).model_copy(update={"searches": root / "searches.toml"})
    told = []
    with listening(lambda p: told.append((p.files_done, p.files_total, p.articles_done, p.batches_done))):
        first = ingest(params, return_state=True)
        built = procs.rows(params.warehouse, "SELECT built_at FROM search_index")
        second = ingest(params, return_state=True)
    return params, first, second, built, told


def test_saved_search_hits_are_inserted_once_by_the_run_that_found_them(ingested):
    params, first, second, _, _ = ingested
    run_id = str(first.state_details.flow_run_id)
    hits = procs.rows(params.warehouse, "SELECT search_name, flow_run_id, score > 0 FROM search_hits")
    assert hits and {h[0] for h in hits} == {"blinken"}
    assert all(h[1] == run_id for h in hits)  # the second run added none: nothing new
    assert all(h[2] for h in hits)
    titles = procs.rows(params.warehouse, "SELECT a.title FROM search_hits h JOIN articles a USING (article_id)")
    assert any("Blinken" in t[0] for t in titles)


def test_the_index_covers_every_article_and_is_not_rebuilt_without_new_ones(ingested):
    params, _, _, built, _ = ingested
    assert procs.rows(params.warehouse, "SELECT built_at FROM search_index") == built
    articles = procs.rows(params.warehouse, "SELECT count(*) FROM articles")[0][0]
    assert procs.rows(params.warehouse, "SELECT articles FROM search_index")[0][0] == articles


def test_listeners_hear_the_start_and_each_batch(ingested):
    params, _, _, _, told = ingested
    files = told[0][1]
    assert told[0] == (0, files, 0, 0)
    assert told[-1][0] == files and told[-1][3] == len(told) - 1 >= 2  # seeds: batches of 4
    articles = procs.rows(params.warehouse, "SELECT count(*) FROM articles")[0][0]
    assert told[-1][2] == articles


def test_the_run_keeps_a_progress_artifact_at_100_percent(ingested):
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    _, first, second, _, _ = ingested
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[first.state_details.flow_run_id])))
        later = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[second.state_details.flow_run_id])))
    progress = [a for a in found if a.type == "progress"]
    assert len(progress) == 1 and progress[0].key == "ingest-progress"
    assert float(progress[0].data) == 100.0
    assert "files (100%)" in progress[0].description
    assert not [a for a in later if a.type == "progress"]  # nothing new: no artifact


def test_a_broken_searches_file_does_not_fail_the_run(tmp_path):
    from flows.ingest import ingest

    (tmp_path / "searches.toml").write_text('[[search]]\nname = "bad"\nquery = "(unclosed"\n')
    params = seed_run(tmp_path).model_copy(update={"searches": tmp_path / "searches.toml"})
    state = ingest(params, return_state=True)
    assert state.is_completed()
    assert procs.rows(params.warehouse, "SELECT count(*) FROM search_hits") == [(0,)]
    assert procs.rows(params.warehouse, "SELECT articles > 0 FROM search_index") == [(True,)]
