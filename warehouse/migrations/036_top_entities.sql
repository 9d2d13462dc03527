-- Issue 18: the run report's all-time top entities kept at load (warehouse/leaders.py). The report
-- summed agg_entity by canonical entity at every run (~0.2 s at 1M articles). The table holds the
-- 50 largest canonical totals (ties at the 50th too) and one floor row (canonical_id NULL: the
-- largest total left out). Backfill: top_entities.sql's totals as they stand (leaders.rebuild_leaders).
CREATE TABLE agg_top_entities (
    canonical_id VARCHAR,
    mentions     BIGINT NOT NULL
);

INSERT INTO agg_top_entities
WITH totals AS (
    SELECT coalesce(x.canonical_id, a.entity_id) AS canonical_id, sum(a.mentions)::BIGINT AS mentions
    FROM agg_entity a
    LEFT JOIN entity_aliases x ON x.alias_id = a.entity_id
    LEFT JOIN entity_canonicals k ON k.canonical_id = coalesce(x.canonical_id, a.entity_id)
    WHERE coalesce(k.label, a.label) IN ('PERSON', 'ORG')
    GROUP BY ALL
),
ranked AS (
    SELECT canonical_id, mentions, rank() OVER (ORDER BY mentions DESC) AS r FROM totals WHERE mentions > 0
)
SELECT canonical_id, mentions FROM ranked WHERE r <= 50
UNION ALL
SELECT NULL, coalesce(max(mentions) FILTER (WHERE r > 50), 0) FROM ranked;
