-- The people, organisations, places and groups most mentioned in the day's articles, each as
-- the canonical entity its spellings resolve to (entity_canonical; docs/entities.md), from
-- agg_entity_article (one row per article and raw entity, kept at load; ingest_day skips by zone
-- map). An article naming `Tony Blair` and `Mr Blair` counts once for Tony Blair.
with day_rows as (
    select * from agg_entity_article where ingest_day = $day
),
final as (
    select c.canonical_name as name, c.canonical_label as label, cast(sum(r.mentions) as bigint) as mentions,
           count(distinct r.article_id) as articles,
           round(sum(r.sentiment_sum) / nullif(sum(r.sentiment_count), 0), 3) as avg_sentiment
    from day_rows r
    join entity_canonical c using (entity_id)
    where c.canonical_label in ('PERSON', 'ORG', 'GPE', 'NORP')
    group by c.canonical_id, c.canonical_name, c.canonical_label
)
select * from final order by mentions desc, name limit $limit
