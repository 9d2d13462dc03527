from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from presswatch.discover.folder import FileRef
from presswatch.read.batch import FileOutcome, read_files
from presswatch.read.formats import DEFAULT_MAX_BYTES
from presswatch.timing import stage


# No tags: a tagged task run first waits on the server for tag concurrency slots (docs/decisions.md).
@task(name="read", cache_policy=NONE, timeout_seconds=1800)
def read_batch(refs: list[FileRef], max_file_bytes: int = DEFAULT_MAX_BYTES) -> list[FileOutcome]:
    """Read every file of the batch; an unreadable file becomes a quarantine outcome.
    max_file_bytes also bounds what a gzip file inflates to."""
    with stage("read"):
        return read_files(refs, max_bytes=max_file_bytes)
