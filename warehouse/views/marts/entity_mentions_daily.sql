-- Mentions and tone of each entity per article day (stg_articles.day), from agg_entity_day:
-- one row per entity and day, kept at load by warehouse/aggregates.py with the entity's name and
-- label (migration 029), so no group and no join here: a filter on name, label or day reaches
-- the scan, LIMIT stops early and a count reads no name. A row without a name (its entity
-- missing from `entities`) is left out, as the join to `entities` left it out before.
with daily as (
    select entity_id, name, label, day, mentions, articles, sentiment_sum, sentiment_count
    from agg_entity_day
    where name is not null
),
final as (
    select entity_id, name, label, day, mentions, articles,
           round(sentiment_sum / nullif(sentiment_count, 0), 4) as avg_sentiment
    from daily
)
select * from final
