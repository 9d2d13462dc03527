"""The ingest's batches run with the long-lived heap frozen; Python's GC settings come back after."""

import gc

import pytest

from flows.ingest import long_lived_frozen


def test_the_heap_is_frozen_inside_and_the_settings_restored_after_an_error():
    before = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    with pytest.raises(RuntimeError):
        with long_lived_frozen(gen0_threshold=12_345):
            assert gc.get_threshold() == (12_345, *before[1:])
            assert gc.get_freeze_count() > frozen_before  # the imports and the run's state so far
            raise RuntimeError("a batch failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
