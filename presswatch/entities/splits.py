"""The biggest splits for an analyst to read (issue 13): pairs of canonical entities the rules
left apart although their names suggest one entity, with the evidence counted, so a watchlist
entry (entities.toml) can join them or confirm they stay apart. Pure polars over the resolved
entity table, never the mentions."""

from __future__ import annotations

import polars as pl

SCHEMA = {"name_a": pl.String, "label_a": pl.String, "mentions_a": pl.Int64, "name_b": pl.String,
          "label_b": pl.String, "mentions_b": pl.Int64, "evidence": pl.String}


def candidate_splits(canonicals: pl.DataFrame, top: int = 20) -> pl.DataFrame:
    """canonicals: canonical_id, name, label, key, mentions (one row per canonical entity).
    Pairs of different canonicals (the more named first in a pair), the pairs whose lesser side
    is most named first:
    - `same key`: one name key, two labels the rules kept apart (a city and its club);
    - `surname`: a one-word PERSON/ORG that is the last word of a multi-word PERSON it did not
      join (the surname rule found no dominant full name: two people share it);
    - `starts`: a one-word name that starts a longer name of the same label (`Chicago` and
      `Chicago White Sox`, `Real` and `Real Madrid`)."""
    c = (canonicals.filter(pl.col("key").is_not_null())
         .with_columns(base=pl.col("key").str.replace(r"#\w+$", ""))
         .with_columns(tokens=pl.col("base").str.split(" ")))
    a = c.select("canonical_id", "name", "label", "mentions", "base",
                 first=pl.col("tokens").list.first(), last=pl.col("tokens").list.last(),
                 words=pl.col("tokens").list.len())
    single = a.filter(pl.col("words") == 1)
    multi = a.filter(pl.col("words") > 1)
    same_key = (a.join(a, on="base", suffix="_b").filter(pl.col("canonical_id") < pl.col("canonical_id_b"))
                .with_columns(evidence=pl.lit("same key")))
    surname = (single.filter(pl.col("label").is_in(["PERSON", "ORG"]))
               .join(multi.filter(pl.col("label") == "PERSON"), left_on="base", right_on="last", suffix="_b")
               .with_columns(evidence=pl.lit("surname")))
    starts = (single.join(multi, left_on=["base", "label"], right_on=["first", "label"], suffix="_b")
              .with_columns(label_b=pl.col("label"), evidence=pl.lit("starts")))
    cols = ["name", "label", "mentions", "name_b", "label_b", "mentions_b", "evidence"]
    pairs = pl.concat([f.select(cols) for f in (same_key, surname, starts)])
    # The more named of the two first, so one pair reads one way whatever the ids.
    swap = (pl.col("mentions") < pl.col("mentions_b")) | (
        (pl.col("mentions") == pl.col("mentions_b")) & (pl.col("name") > pl.col("name_b")))
    pairs = pairs.select(*[pl.when(swap).then(pl.col(f"{c}_b")).otherwise(pl.col(c)).alias(c)
                           for c in ("name", "label", "mentions")],
                         *[pl.when(swap).then(pl.col(c)).otherwise(pl.col(f"{c}_b")).alias(f"{c}_b")
                           for c in ("name", "label", "mentions")], "evidence")
    out = (pairs.with_columns(weight=pl.min_horizontal("mentions", "mentions_b"))
           .sort(["weight", "mentions", "name", "name_b"], descending=[True, True, False, False])
           .unique(["name", "label", "name_b", "label_b"], keep="first", maintain_order=True)
           .head(top))
    return out.select(name_a="name", label_a="label", mentions_a="mentions", name_b="name_b", label_b="label_b",
                      mentions_b="mentions_b", evidence="evidence").cast(SCHEMA)
