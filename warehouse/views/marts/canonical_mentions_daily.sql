-- Mentions, articles and tone of each canonical entity per article day: every spelling and
-- label of one real-world entity counted once (entity_canonical, issue 13): an article naming
-- `Bush` and `George W Bush` counts once. `watchlist`: the entity is an entities.toml entry (what
-- share of voice and alerts put first). Kept at load in agg_canonical_day (migration 028,
-- warehouse/coverage_aggregates.py; rebuilt with the canonical mapping), so a filter, a LIMIT or a
-- count is a scan, not a group of every article-entity row.
with final as (
    select canonical_id, name, label, watchlist, day, mentions, articles,
           round(sentiment_sum / nullif(sentiment_count, 0), 4) as avg_sentiment
    from agg_canonical_day
)
select * from final
