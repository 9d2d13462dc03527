"""What `presswatch serve` repairs on start, left behind by a process that died (SIGKILL, a
power cut, a server restarted under a run).

1. Flow runs of its deployments, or holding the writer slot, still Running/Pending/Cancelling
   while no process is behind them (flows/limits.py: run_alive) are set Crashed.
2. Their leases on the writer slot are released. A slot still counted with no live holder
   (a server restarted with its in-memory leases lost) is reset to zero; never while a
   run that may be alive is labelled on it.
Runs whose liveness cannot be told (another host) are left alone and logged.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from uuid import UUID

from prefect import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate
from prefect.client.schemas.objects import FlowRun
from prefect.exceptions import ObjectNotFound
from prefect.states import Crashed

from flows.limits import LABEL_LEASE, LABEL_LIMIT, LABEL_PROCESS, LIVE_STATES, live_runs, run_alive

# A run with no process record this long after its last state change was never started by a
# live runner (a runner records the process within seconds of proposing Pending).
GRACE = timedelta(seconds=15)


def heal(deployment_ids: list[UUID], writer_limit: str) -> list[str]:
    """Crash dead runs, free their slots; returns what was done, one line each, for the log."""
    done: list[str] = []
    with get_client(sync_client=True) as client:
        runs = [r for r in live_runs(client)
                if r.deployment_id in deployment_ids or r.labels.get(LABEL_LIMIT) == writer_limit]
        runs = _after_grace(client, runs)
        dead, unknown = [], []
        for run in runs:
            alive = _alive(run)
            if alive is False:
                dead.append(run)
            elif alive is None:
                unknown.append(run)
        for run in dead:
            why = (f"presswatch serve found it {run.state_name} on restart with no process behind it "
                   f"(process {run.labels.get(LABEL_PROCESS) or run.infrastructure_pid or 'never started'})")
            client.set_flow_run_state(run.id, Crashed(message=why), force=True)
            done.append(f"marked flow run {run.name!r} ({run.id}) Crashed: {why}")
            if lease := run.labels.get(LABEL_LEASE):
                client.release_concurrency_slots_with_lease(UUID(lease))
                done.append(f"released its writer slot lease {lease}")
        for run in unknown:
            done.append(f"left flow run {run.name!r} ({run.id}, {run.state_name}) alone: its process "
                        "cannot be checked from here (another host?)")
        crashed = {r.id for r in dead}
        holders = [r for r in runs if r.id not in crashed and r.labels.get(LABEL_LIMIT) == writer_limit]
        done += _free_orphan_slots(client, writer_limit, holders)
    return done


def _after_grace(client, runs: list[FlowRun]) -> list[FlowRun]:
    """The runs, with any that has no process record yet re-read once it is GRACE old: a
    live runner would have started and recorded its process by then."""
    young = [r for r in runs if _no_process_record(r) and _age(r) < GRACE]
    if young:
        time.sleep(max(0.0, (GRACE - min(_age(r) for r in young)).total_seconds()))
        fresh = {r.id: client.read_flow_run(r.id) for r in young}
        runs = [fresh.get(r.id, r) for r in runs]
    return [r for r in runs if r.state_type in LIVE_STATES]


def _no_process_record(run: FlowRun) -> bool:
    return not run.infrastructure_pid and not run.labels.get(LABEL_PROCESS)


def _age(run: FlowRun) -> timedelta:
    since = (run.state.timestamp if run.state else None) or run.created
    return datetime.now(timezone.utc) - since if since else GRACE


def _alive(run: FlowRun) -> bool | None:
    alive = run_alive(run)
    if alive is not None:
        return alive
    if _no_process_record(run) and _age(run) >= GRACE:
        return False  # its runner (a serve of ours, now restarting) never started it
    return None


def _free_orphan_slots(client, name: str, holders: list[FlowRun]) -> list[str]:
    """Reset the limit's active slots when no run that may be alive holds or awaits it."""
    try:
        limit = client.read_global_concurrency_limit_by_name(name)
    except ObjectNotFound:
        return []
    if limit.active_slots <= 0:
        return []
    if holders:
        return [f"writer slot {name!r}: {limit.active_slots} in use, by "
                + ", ".join(f"{r.name!r} ({r.id})" for r in holders) + "; left as it is"]
    client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(active_slots=0))
    return [f"writer slot {name!r}: reset {limit.active_slots} slot(s) held by no live run to 0"]
