-- An entity's attention per article day: the articles naming it, as a count and as a share of
-- all articles that day (GDELT's timelinevol, Media Cloud's attention ratio), with its mentions
-- and mean mention sentiment. Days without the entity have no row (their share is 0).
with entity_days as (
    select entity_id, name, label, day, articles, mentions, avg_sentiment from entity_mentions_daily
),
totals as (
    select day, sum(articles) as day_articles from day_totals group by day
),
final as (
    select e.entity_id, e.name, e.label, e.day, e.articles, t.day_articles,
           round(e.articles / t.day_articles, 4) as share,
           e.mentions, e.avg_sentiment
    from entity_days e
    join totals t using (day)
)
select * from final
