from __future__ import annotations

from pathlib import Path

from prefect import get_client, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.runtime import flow_run

from presswatch.discover.folder import Discovery, candidate_paths, describe_set_aside, discover, warehouse_files
from presswatch.text import plain
from presswatch.timing import timed
from presswatch.discover.watch import describe_discovery, discover_handed, discover_settled, run_name
from warehouse.ledger import read_ledger_keys


# No tags: a tagged task run first waits on the server for tag concurrency slots (docs/decisions.md).
@task(name="discover", cache_policy=NONE, retries=2, retry_delay_seconds=2, timeout_seconds=600)
@timed("discover")
def discover_files(drop: Path, warehouse: Path, max_file_bytes: int,
                   previous: dict[str, tuple[int, int]] | None = None,
                   settle_seconds: float = 0.0,
                   handed: dict[str, tuple[int, int]] | None = None) -> Discovery:
    """List and hash the drop folder against the ledger (read-only: writers are not blocked)."""
    ledger = read_ledger_keys(warehouse, candidate_paths(drop))  # only the rows of the files at hand
    exclude = warehouse_files(warehouse)  # a warehouse inside the drop folder is never input
    if previous is not None:
        found = discover(drop, ledger=ledger, max_file_bytes=max_file_bytes, previous=previous,
                         exclude=exclude)
    elif handed is not None:  # started by the watcher: the files it saw settle, if unchanged
        found = discover_handed(drop, ledger=ledger, max_file_bytes=max_file_bytes, files=handed,
                                exclude=exclude)
    else:  # settle_seconds > 0: two looks that far apart (served runs); 0: one look
        found = discover_settled(drop, ledger=ledger, max_file_bytes=max_file_bytes,
                                 settle_seconds=settle_seconds, exclude=exclude)
    logger = get_run_logger()
    for line in describe_discovery(found) + describe_set_aside(found, warehouse):
        logger.info(line)
    name_flow_run(run_name(drop, found))
    return found


def name_flow_run(name: str) -> None:
    """Rename the current flow run after what it processes (shown in the UI's run list)."""
    if flow_run.id is None:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run(flow_run.id, name=plain(name, 200))
