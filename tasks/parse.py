from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from presswatch.discover import FileRef
from presswatch.parse import FileOutcome, parse_files
from presswatch.timing import stage


@task(name="parse", cache_policy=NONE, timeout_seconds=1800, tags=["cpu"])
def parse_batch(refs: list[FileRef]) -> list[FileOutcome]:
    """Read every file of the batch; an unreadable file becomes a quarantine outcome."""
    with stage("read"):
        return parse_files(refs)
