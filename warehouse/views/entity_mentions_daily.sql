-- Mentions and tone of each entity per day of publication.
CREATE OR REPLACE VIEW entity_mentions_daily AS
with mention_days as (
    select m.entity_id, m.article_id, m.sentiment,
           coalesce(a.published_at, cast(a.ingested_at as date)) as day
    from mentions m
    join articles a using (article_id)
),
final as (
    select e.entity_id, e.name, e.label, d.day,
           count(*) as mentions,
           count(distinct d.article_id) as articles,
           round(avg(d.sentiment), 4) as avg_sentiment
    from mention_days d
    join entities e using (entity_id)
    group by all
)
select * from final;
