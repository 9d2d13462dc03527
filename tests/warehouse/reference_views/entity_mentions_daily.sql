-- Mentions and tone of each entity per article day (stg_articles.day).
with mention_days as (
    select m.entity_id, m.article_id, m.sentiment, a.day
    from mentions m
    join stg_articles a using (article_id)
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
select * from final
