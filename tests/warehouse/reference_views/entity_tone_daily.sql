-- An entity's tone over time with the volume behind it: mean mention sentiment per article day,
-- its article count, and a 7-day mean weighted by mentions. `thin` marks a day on fewer than 5
-- articles, where a swing says little.
with entity_days as (
    select entity_id, name, label, day, articles, mentions, avg_sentiment from entity_mentions_daily
),
rolling as (
    select *,
           sum(avg_sentiment * mentions) over w / nullif(sum(mentions) filter (where avg_sentiment is not null) over w, 0)
               as sentiment_7d,
           sum(articles) over w as articles_7d
    from entity_days
    -- name and label follow entity_id: in the partition, a filter on the name reaches the scan.
    window w as (partition by entity_id, name, label order by day
                 range between interval 6 days preceding and current row)
),
final as (
    select entity_id, name, label, day, articles, mentions, avg_sentiment,
           round(sentiment_7d, 4) as sentiment_7d, articles_7d,
           articles < 5 as thin
    from rolling
)
select * from final
