"""The ledger read that discovery and the watcher share."""

from __future__ import annotations

import duckdb

from warehouse.db import writer
from warehouse.ledger import read_ledger_keys


def test_no_warehouse_or_no_ledger_yet_is_an_empty_ledger(tmp_path):
    assert read_ledger_keys(tmp_path / "missing.duckdb") == set()
    assert not (tmp_path / "missing.duckdb").exists()  # reading never creates the file
    bare = tmp_path / "bare.duckdb"
    duckdb.connect(str(bare)).close()
    keys = read_ledger_keys(bare)
    assert keys == set() and keys.hashes == {}


def test_pairs_and_the_hash_of_each_unchanged_file(tmp_path):
    db = tmp_path / "w.duckdb"
    with writer(db) as con:
        con.execute("INSERT INTO ingest_log (file_sha256, source_path, status, file_size, file_mtime_ns) "
                    "VALUES ('aa', '/d/a.txt', 'loaded', 10, 123), ('bb', '/d/b.txt', 'quarantined', 5, NULL)")
    keys = read_ledger_keys(db)
    assert keys == {("aa", "/d/a.txt"), ("bb", "/d/b.txt")}
    assert keys.hashes == {("/d/a.txt", 10, 123): "aa"}  # no mtime recorded: always re-hashed


def test_only_the_rows_of_the_paths_at_hand(tmp_path):
    """Discovery asks for the files in the drop folder, not the whole archive's ledger."""
    db = tmp_path / "w.duckdb"
    with writer(db) as con:
        con.execute("INSERT INTO ingest_log (file_sha256, source_path, status, file_size, file_mtime_ns) "
                    "VALUES ('aa', '/d/a.txt', 'loaded', 10, 123), ('a2', '/d/a.txt', 'loaded', 11, 124), "
                    "('bb', '/old/b.txt', 'loaded', 5, 9)")
    keys = read_ledger_keys(db, ["/d/a.txt", "/d/new.txt"])
    assert keys == {("aa", "/d/a.txt"), ("a2", "/d/a.txt")}
    assert keys.hashes == {("/d/a.txt", 10, 123): "aa", ("/d/a.txt", 11, 124): "a2"}
    assert read_ledger_keys(db, []) == set()
