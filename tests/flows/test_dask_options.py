"""The executor settings and the LocalCluster's options (no cluster started here)."""

from __future__ import annotations

import pytest

from presswatch.config import Settings, SettingsError


def test_executor_setting_takes_local_or_dask_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("PRESSWATCH_EXECUTOR", "dask")
    monkeypatch.setenv("PRESSWATCH_DASK_ADDRESS", "tcp://127.0.0.1:8786")
    settings = Settings.load()
    assert (settings.executor, settings.dask_address) == ("dask", "tcp://127.0.0.1:8786")
    monkeypatch.setenv("PRESSWATCH_EXECUTOR", "ray")
    with pytest.raises(SettingsError, match="PRESSWATCH_EXECUTOR"):
        Settings.load()


def test_ingest_params_carry_the_executor_from_the_settings(monkeypatch):
    from flows.params import IngestParams

    monkeypatch.setenv("PRESSWATCH_EXECUTOR", "dask")
    params = IngestParams.from_settings(Settings.load())
    assert (params.executor, params.dask_address) == ("dask", "")


def test_a_local_cluster_listens_on_loopback_only_with_one_thread_per_worker_process():
    from flows.executors import cluster_workers
    from presswatch.extract.dask_worker import local_cluster_options

    opts = local_cluster_options(cluster_workers(-1))  # nlp_workers auto
    assert opts["host"] == "127.0.0.1" and opts["dashboard_address"] == "127.0.0.1:0"
    assert (opts["n_workers"], opts["threads_per_worker"], opts["processes"]) == (2, 1, True)
    assert local_cluster_options(cluster_workers(3))["n_workers"] == 3


def test_the_runner_connects_to_the_given_scheduler_or_starts_a_local_cluster():
    from flows.executors import dask_runner
    from flows.params import IngestParams

    remote = dask_runner(IngestParams(executor="dask", dask_address="tcp://10.0.0.5:8786"))
    assert remote.address == "tcp://10.0.0.5:8786"
    local = dask_runner(IngestParams(executor="dask"))
    assert local.address is None and local.cluster_kwargs["host"] == "127.0.0.1"
