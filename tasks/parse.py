from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from presswatch.discover import FileRef
from presswatch.parse import FileOutcome, parse_files
from presswatch.timing import stage


# No tags (docs/decisions.md): a tagged task run first asks the server for tag concurrency
# slots, a call that took ~2 s on a busy server at the start and end of every run.
@task(name="parse", cache_policy=NONE, timeout_seconds=1800)
def parse_batch(refs: list[FileRef]) -> list[FileOutcome]:
    """Read every file of the batch; an unreadable file becomes a quarantine outcome."""
    with stage("read"):
        return parse_files(refs)
