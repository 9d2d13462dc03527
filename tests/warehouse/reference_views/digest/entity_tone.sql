-- Each real-world entity's average mention sentiment on the day against its history before the
-- day, every spelling counted as one (entity_canonical).
with scored as (
    select m.entity_id, a.ingest_day as day, m.sentiment
    from mentions m
    join stg_articles a using (article_id)
    where m.sentiment is not null and a.ingest_day <= $day
),
per_entity as (
    select c.canonical_name as name, c.canonical_label as label,
           round(avg(sentiment) filter (where day = $day), 3) as sentiment_today,
           round(avg(sentiment) filter (where day < $day), 3) as sentiment_before,
           count(*) filter (where day = $day) as mentions_today
    from scored join entity_canonical c using (entity_id)
    group by c.canonical_id, c.canonical_name, c.canonical_label
    having count(*) filter (where day = $day) >= 2 and count(*) filter (where day < $day) >= 2
),
final as (
    select *, round(sentiment_today - sentiment_before, 3) as change from per_entity
)
select * from final
order by abs(sentiment_today - sentiment_before) desc, name limit $limit
