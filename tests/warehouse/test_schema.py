"""warehouse/schema.sql is what a fresh migrate builds (regenerate: python -m warehouse.schema)."""

from __future__ import annotations

from warehouse.db import view_files
from warehouse.schema import SCHEMA_FILE, render


def test_committed_schema_is_current():
    assert SCHEMA_FILE.read_text() == render(), (
        "warehouse/schema.sql is stale: run `.venv/bin/python -m warehouse.schema` and commit it")


def test_schema_lists_every_table_and_view():
    text = render()
    for table in ("articles", "entities", "mentions", "quotes", "ingest_log", "schema_views"):
        assert f"CREATE TABLE {table} (" in text
    for name in view_files():
        assert f'CREATE VIEW "{name}" AS' in text
    assert "duplicate_of VARCHAR" not in text  # retired by migration 004
    assert text.index('VIEW "stg_articles"') < text.index('VIEW "tone_daily"')
