-- The people, organisations, places and groups most mentioned in the day's articles, from
-- agg_entity_article (one row per article and entity, kept at load; ingest_day skips by zone map).
with day_rows as (
    select * from agg_entity_article where ingest_day = $day
),
final as (
    select e.name, e.label, cast(sum(r.mentions) as bigint) as mentions,
           count(distinct r.article_id) as articles,
           round(sum(r.sentiment_sum) / nullif(sum(r.sentiment_count), 0), 3) as avg_sentiment
    from day_rows r
    join entities e using (entity_id)
    where e.label in ('PERSON', 'ORG', 'GPE', 'NORP')
    group by all
)
select * from final order by mentions desc, name limit $limit
