-- An entity's tone over time with the volume behind it: mean mention sentiment per article day,
-- its article count, and a 7-day mean weighted by mentions. `thin` marks a day on fewer than 5
-- articles, where a swing says little.
-- From agg_entity_tone_day: the rows with their 7-day window computed at load for the days a
-- batch touches (warehouse/attention_aggregates.py holds the window's SQL), so a filter on the
-- day or the name reaches the scan and a LIMIT stops early.
with rolling as (
    select entity_id, name, label, day, articles, mentions, avg_sentiment, sentiment_7d,
           articles_7d::HUGEINT as articles_7d
    from agg_entity_tone_day
),
final as (
    select entity_id, name, label, day, articles, mentions, avg_sentiment, sentiment_7d, articles_7d,
           articles < 5 as thin
    from rolling
)
select * from final
