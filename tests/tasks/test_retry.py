"""The I/O tasks retry a failure, but not an operator's error."""

from __future__ import annotations

import duckdb

from tasks.retry import worth_retrying
from warehouse.db import WarehouseWriteError


def test_an_operator_error_is_not_retried():
    class State:
        def __init__(self, exc):
            self.exc = exc

        def result(self, raise_on_failure=True):
            return self.exc

    assert not worth_retrying(None, None, State(WarehouseWriteError("disk full")))
    assert worth_retrying(None, None, State(duckdb.IOException("a lock, maybe")))
