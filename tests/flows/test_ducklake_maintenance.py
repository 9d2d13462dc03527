"""The scheduled maintenance flow on a DuckLake warehouse: inlined rows flushed, small files
merged, snapshots expired; the rows unchanged."""

from __future__ import annotations

from datetime import datetime

from tests.warehouse.test_load import _batch
from warehouse.db import open_db, writer
from warehouse.load import load_batch


def test_the_maintenance_flow_compacts_a_lake(prefect_server, tmp_path):
    from flows.maintenance import maintenance

    target = f"ducklake:{tmp_path / 'cat.ducklake'}"
    for k in range(3):
        outcomes, frames = _batch(*[(f"/d/{k}-{i}.txt", f"s{k}-{i}", f"Blinken spoke in port {k}-{i}.", None)
                                    for i in range(30)])
        with writer(target) as con:
            load_batch(con, outcomes, frames, flow_run_id=f"r{k}", seen_at=datetime(2024, 1, 1))
    done = maintenance(target, keep_days=0)
    assert done["snapshots_after"] < done["snapshots_before"]
    assert done["rows_flushed"] > 0  # the batches' small inserts were inlined in the catalog
    con = open_db(target, read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (90, 90)
        assert con.execute("SELECT count(*) FROM ingest_log").fetchone() == (90,)
    finally:
        con.close()
