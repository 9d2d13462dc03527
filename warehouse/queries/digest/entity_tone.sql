-- Each entity's average mention sentiment on the day against its history before the day, from
-- the aggregates kept at load: the history is the entity's all-time total (agg_entity) less its
-- rows from the day on (agg_entity_article; ingest_day skips by zone map), so a long history is
-- one row, not every article. Only entities with 2 scored mentions on the day can pass.
with today_names as (
    select e.name, e.label
    from agg_entity_article r join entities e using (entity_id)
    where r.ingest_day = $day and r.sentiment_count > 0
    group by all
    having sum(r.sentiment_count) >= 2
),
today as (
    select entity_id, name, label from entities semi join today_names using (name, label)
),
since as (
    -- a NULL ingest_day is never "before the day" either: it is taken off the total too
    select r.entity_id,
           sum(r.sentiment_sum) filter (where r.ingest_day = $day) as sum_today,
           sum(r.sentiment_count) filter (where r.ingest_day = $day) as count_today,
           sum(r.sentiment_sum) as sum_since, sum(r.sentiment_count) as count_since
    from agg_entity_article r
    semi join today t using (entity_id)
    where r.sentiment_count > 0 and (r.ingest_day >= $day or r.ingest_day is null)
    group by r.entity_id
),
per_id as (
    select t.name, t.label, s.sum_today, s.count_today,
           a.sentiment_sum - coalesce(s.sum_since, 0) as sum_before,
           a.sentiment_count - coalesce(s.count_since, 0) as count_before
    from today t
    join agg_entity a using (entity_id)
    left join since s using (entity_id)
),
per_entity as (
    select name, label,
           round(sum(sum_today) / sum(count_today), 3) as sentiment_today,
           round(sum(sum_before) filter (where count_before > 0)
                 / sum(count_before) filter (where count_before > 0), 3) as sentiment_before,
           cast(sum(count_today) as bigint) as mentions_today
    from per_id
    group by all
    having sum(count_today) >= 2 and sum(count_before) >= 2
),
final as (
    select *, round(sentiment_today - sentiment_before, 3) as change from per_entity
)
select * from final
order by abs(sentiment_today - sentiment_before) desc, name limit $limit
