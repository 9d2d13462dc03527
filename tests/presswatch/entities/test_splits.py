"""The candidate splits an analyst reads (presswatch/entities/splits.py)."""

from __future__ import annotations

import polars as pl

from presswatch.entities.splits import candidate_splits


def _canonicals(rows):
    return pl.DataFrame([{"canonical_id": str(i), "name": n, "label": lab, "key": k, "mentions": m}
                         for i, (n, lab, k, m) in enumerate(rows)])


def test_pairs_left_apart_are_listed_with_their_evidence_the_most_named_first():
    got = candidate_splits(_canonicals([
        ("Liverpool", "GPE", "liverpool#place", 45), ("Liverpool", "ORG", "liverpool", 96),
        ("Bush", "PERSON", "bush", 3), ("Kate Bush", "PERSON", "kate bush", 6),
        ("Chicago", "GPE", "chicago", 10), ("Chicago White Sox", "GPE", "chicago white sox", 2),
        ("Chicago Bulls", "ORG", "chicago bulls", 9),  # another label: no `starts` pair
        ("Tony Blair", "PERSON", "tony blair", 50)]))
    assert got.select("name_a", "name_b", "evidence").rows() == [
        ("Liverpool", "Liverpool", "same key"), ("Kate Bush", "Bush", "surname"),
        ("Chicago", "Chicago White Sox", "starts")]
    assert got.row(0) == ("Liverpool", "ORG", 96, "Liverpool", "GPE", 45, "same key")


def test_top_limits_the_table_and_no_pair_means_an_empty_table():
    rows = [(f"Town{i}", "GPE", f"town{i}", 5) for i in range(3)]
    assert candidate_splits(_canonicals(rows)).height == 0
    pairs = [(f"Name{i}", "PERSON", f"name{i}", 10 - i) for i in range(5)] + \
        [(f"Al Name{i}", "PERSON", f"al name{i}", 10) for i in range(5)]
    assert candidate_splits(_canonicals(pairs), top=2).select("name_b").to_series().to_list() == ["Name0", "Name1"]
