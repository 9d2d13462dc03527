"""flows/heal.py and the writer slot's wait (flows/limits.py) against a real Prefect server:
flow runs labelled as our runs label themselves, with processes that are alive or gone."""

from __future__ import annotations

import logging
import socket
import subprocess
import uuid

import pytest
from prefect import flow

# Real processes and servers: minutes, not seconds; `make check` leaves them to `make test`.
pytestmark = pytest.mark.slow


@flow(name="heal-test")
def _a_flow() -> None:
    """Only its name matters: the runs below are created through the API."""


@pytest.fixture
def client(prefect_server_process):
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_server_process.api_url}):
        with get_client(sync_client=True) as c:
            yield c


@pytest.fixture
def limit(client) -> str:
    from flows.limits import ensure_writer_limit

    name = f"presswatch-test-heal-{uuid.uuid4().hex[:8]}"
    ensure_writer_limit(name)
    yield name
    client.delete_global_concurrency_limit_by_name(name)


def _dead_process() -> str:
    gone = subprocess.Popen(["true"])
    gone.wait()
    return f"{socket.gethostname()}:{gone.pid}:1.00"


def _holder(client, limit: str, process: str):
    """A Running flow run holding the writer slot through a lease, labelled as writer_slot does."""
    from prefect.concurrency._sync import acquire_concurrency_slots_with_lease
    from prefect.states import Running

    from flows.limits import LABEL_LEASE, LABEL_LIMIT, LABEL_PROCESS

    lease = acquire_concurrency_slots_with_lease([limit], 1, lease_duration=300, strict=True).lease_id
    run = client.create_flow_run(_a_flow, name=f"holder-{uuid.uuid4().hex[:6]}", state=Running())
    client.update_flow_run_labels(run.id, {LABEL_LIMIT: limit, LABEL_PROCESS: process, LABEL_LEASE: str(lease)})
    return client.read_flow_run(run.id), lease


def _slots(client, limit: str) -> int:
    return client.read_global_concurrency_limit_by_name(limit).active_slots


def test_labels_are_added_to_a_run_not_replacing_prefects(client, limit):
    from flows.limits import LABEL_LIMIT

    run, lease = _holder(client, limit, _dead_process())
    assert run.labels[LABEL_LIMIT] == limit
    assert any(k.startswith("prefect.") for k in run.labels), run.labels
    client.release_concurrency_slots_with_lease(lease)


def test_a_run_whose_process_is_gone_is_crashed_and_its_slot_released(client, limit):
    from flows.heal import heal

    run, _ = _holder(client, limit, _dead_process())
    assert _slots(client, limit) == 1
    done = heal([], limit)
    assert client.read_flow_run(run.id).state_type.value == "CRASHED"
    assert _slots(client, limit) == 0
    assert any(line.startswith(f"marked flow run {run.name!r}") for line in done), done


def test_a_live_holder_keeps_its_run_and_its_slot(client, limit):
    from flows.heal import heal
    from presswatch.lifetime import this_process

    run, lease = _holder(client, limit, this_process())
    done = heal([], limit)
    assert client.read_flow_run(run.id).state_type.value == "RUNNING"
    assert _slots(client, limit) == 1
    assert any("left as it is" in line for line in done), done
    client.release_concurrency_slots_with_lease(lease)
    assert _slots(client, limit) == 0


def test_a_slot_counted_with_no_holder_is_reset(client, limit):
    """What a server restarted with its in-memory leases lost shows: a slot nobody holds."""
    from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate

    from flows.heal import heal

    client.update_global_concurrency_limit(limit, GlobalConcurrencyLimitUpdate(active_slots=1))
    done = heal([], limit)
    assert _slots(client, limit) == 0
    assert any("reset 1 slot(s)" in line for line in done), done


def test_a_slot_wait_times_out_with_a_line_naming_the_holder(client, limit):
    from flows.limits import WriterSlotTimeout, log, writer_slot
    from presswatch.lifetime import this_process

    run, lease = _holder(client, limit, this_process())
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    log.addHandler(handler)
    try:
        with pytest.raises(WriterSlotTimeout) as stopped:
            with writer_slot(limit, wait_seconds=3, report_seconds=1):
                pytest.fail("the slot is held: the body must not run")
    finally:
        log.removeHandler(handler)
        client.release_concurrency_slots_with_lease(lease)
    assert f"flow run {run.name!r} ({run.id}" in str(stopped.value)
    assert any(m.startswith(f"waiting for the writer slot {limit!r}") and run.name in m for m in seen), seen
    with writer_slot(limit, wait_seconds=5, report_seconds=1):  # free now: taken at once
        assert _slots(client, limit) == 1
    assert _slots(client, limit) == 0
