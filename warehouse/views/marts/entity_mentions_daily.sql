-- Mentions and tone of each entity per article day (stg_articles.day), from agg_entity_day:
-- one row per entity and day, kept at load by warehouse/aggregates.py (no group here, so a
-- filter on name, label or day reaches the scan and LIMIT stops early).
with daily as (
    select entity_id, day, mentions, articles, sentiment_sum, sentiment_count from agg_entity_day
),
final as (
    select e.entity_id, e.name, e.label, d.day, d.mentions, d.articles,
           round(d.sentiment_sum / nullif(d.sentiment_count, 0), 4) as avg_sentiment
    from daily d
    join entities e using (entity_id)
)
select * from final
