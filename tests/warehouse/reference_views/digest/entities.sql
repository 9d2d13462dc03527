-- The people, organisations, places and groups most mentioned in the day's articles.
with day_articles as (
    select * from stg_articles where ingest_day = $day
),
final as (
    select e.name, e.label, count(*) as mentions, count(distinct m.article_id) as articles,
           round(avg(m.sentiment), 3) as avg_sentiment
    from mentions m
    join day_articles a using (article_id)
    join entities e using (entity_id)
    where e.label in ('PERSON', 'ORG', 'GPE', 'NORP')
    group by all
)
select * from final order by mentions desc, name limit $limit
