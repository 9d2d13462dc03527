"""One Prefect test server for the whole session (it takes ~10 s to start), heartbeats off."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS


@pytest.fixture(scope="session")
def prefect_server():
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        with prefect_test_harness(server_startup_timeout=120):
            yield


@pytest.fixture(scope="session")
def prefect_api_url(prefect_server) -> str:
    """The session server's URL, for `presswatch run` child processes (no ~10 s ephemeral
    server each). It listens on 127.0.0.1 only."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url and url.startswith("http://127.0.0.1:"), url
    return url


def seed_run(root: Path):
    """A copy of seeds/ under root and the ingest parameters that load it into root/w.duckdb
    (batches of 4, so the seeds make two batches)."""
    from flows.ingest import IngestParams

    drop = root / "drop"
    shutil.copytree(SEEDS, drop)
    return IngestParams(drop=drop, warehouse=root / "w.duckdb", batch_size=4)
