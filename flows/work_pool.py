"""The ingest deployment on a Prefect `process` work pool: `prefect worker start` on each machine.

`presswatch serve` serves its deployments from its own process (a Runner). On a work pool the
runs go to whichever worker polls first, each in a fresh process on that worker's machine, so
ingest scales out by starting workers, not by editing a deployment. Every worker must see the
same code (this checkout, at the same path, or presswatch installed), the same drop folder and
warehouse paths, and the one Prefect server whose global concurrency limit serializes the loads
(docs/scaling.md, "Work pools").

    python -m flows.work_pool POOL [DEPLOYMENT_NAME]   # settings from PRESSWATCH_* as usual
    prefect worker start --pool POOL --type process     # on each machine
"""

from __future__ import annotations

import sys
from pathlib import Path
from uuid import UUID

from prefect import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.exceptions import ObjectNotFound

from flows.ingest import ingest
from flows.limits import ensure_writer_limit
from flows.params import ServeOptions

ROOT = Path(__file__).resolve().parents[1]
ENTRYPOINT = "flows/ingest.py:ingest"


def ensure_process_pool(name: str) -> str:
    """Create the `process` work pool `name` if missing; refuse one of another type."""
    with get_client(sync_client=True) as client:
        try:
            pool = client.read_work_pool(name)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=name, type="process"))
            return "created"
    if pool.type != "process":
        raise ValueError(f"work pool {name!r} is of type {pool.type!r}; presswatch needs a 'process' pool")
    return "exists"


def deploy_ingest(pool: str, opts: ServeOptions, source: Path = ROOT) -> UUID:
    """The ingest deployment `ingest/<opts.name>` on `pool`, run from the code at `source`.
    Its runs always hold the writer slot: two workers never load at once."""
    ensure_process_pool(pool)
    ensure_writer_limit(opts.writer_limit)
    params = opts.ingest_params().model_dump(mode="json", exclude_none=True)
    return ingest.from_source(source=str(source), entrypoint=ENTRYPOINT).deploy(
        name=opts.name, work_pool_name=pool, parameters={"params": params}, build=False, push=False,
        tags=["presswatch", "ingest", "work-pool"], print_next_steps=False,
        description=f"Ingest {params['drop']} into {params['warehouse']} on work pool {pool}.")


def main(argv: list[str]) -> int:
    from presswatch.config import Settings

    if not argv or len(argv) > 2:
        print("usage: python -m flows.work_pool POOL [DEPLOYMENT_NAME]", file=sys.stderr)
        return 2
    opts = ServeOptions.from_settings(Settings.load(), name=argv[1] if len(argv) > 1 else None)
    deployment_id = deploy_ingest(argv[0], opts)
    print(f"deployment ingest/{opts.name} ({deployment_id}) on work pool {argv[0]}; start workers with "
          f"`prefect worker start --pool {argv[0]} --type process`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
