-- Each entity's average mention sentiment on the day against its history before the day, from
-- agg_entity_article (kept at load). Only entities with 2 scored mentions on the day can pass,
-- so their history alone is read.
with today_names as (
    select e.name, e.label
    from agg_entity_article r join entities e using (entity_id)
    where r.ingest_day = $day and r.sentiment_count > 0
    group by all
    having sum(r.sentiment_count) >= 2
),
today as (
    select entity_id from entities semi join today_names using (name, label)
),
scored as (
    select r.entity_id, r.ingest_day as day, r.sentiment_sum, r.sentiment_count
    from agg_entity_article r
    semi join today t using (entity_id)
    where r.sentiment_count > 0 and r.ingest_day <= $day
),
per_entity as (
    select e.name, e.label,
           round(sum(sentiment_sum) filter (where day = $day)
                 / sum(sentiment_count) filter (where day = $day), 3) as sentiment_today,
           round(sum(sentiment_sum) filter (where day < $day)
                 / sum(sentiment_count) filter (where day < $day), 3) as sentiment_before,
           cast(sum(sentiment_count) filter (where day = $day) as bigint) as mentions_today
    from scored join entities e using (entity_id)
    group by all
    having sum(sentiment_count) filter (where day = $day) >= 2 and sum(sentiment_count) filter (where day < $day) >= 2
),
final as (
    select *, round(sentiment_today - sentiment_before, 3) as change from per_entity
)
select * from final
order by abs(sentiment_today - sentiment_before) desc, name limit $limit
