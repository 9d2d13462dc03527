-- The people, organisations, places and groups most mentioned in the day's articles, as
-- canonical entities.
with day_articles as (
    select * from stg_articles where ingest_day = $day
),
final as (
    select c.canonical_name as name, c.canonical_label as label, count(*) as mentions,
           count(distinct m.article_id) as articles, round(avg(m.sentiment), 3) as avg_sentiment
    from mentions m
    join day_articles a using (article_id)
    join entity_canonical c using (entity_id)
    where c.canonical_label in ('PERSON', 'ORG', 'GPE', 'NORP')
    group by c.canonical_id, c.canonical_name, c.canonical_label
)
select * from final order by mentions desc, name limit $limit
