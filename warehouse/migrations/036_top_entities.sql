-- Issue 18: the run report's all-time top entities kept at load (warehouse/leaders.py). The report
-- summed agg_entity by canonical entity at every run (~0.2 s at 1M articles). The table holds the
-- largest canonical totals and one floor row (canonical_id NULL: the largest total left out); it
-- starts empty, without its floor row, and the first load (or `presswatch aggregates rebuild`)
-- fills it whole.
CREATE TABLE agg_top_entities (
    canonical_id VARCHAR,
    mentions     BIGINT NOT NULL
);
