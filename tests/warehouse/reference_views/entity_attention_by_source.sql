-- An entity's attention per article day and source: the source's articles naming it, and their
-- share of all that source's articles that day (so a prolific outlet does not pass for interest).
-- Reads agg_entity_article (one row per article and entity, kept at load), never mentions;
-- a filter on entity_id or name reaches that scan before the grouping.
with entity_articles as (
    select entity_id, article_id from agg_entity_article
),
named as (
    select e.entity_id, e.name, e.label, a.day, coalesce(a.source, '(unknown)') as source, a.article_id
    from entity_articles m
    join entities e using (entity_id)
    join stg_articles a using (article_id)
),
counted as (
    select entity_id, name, label, day, source, count(*) as articles from named group by all
),
totals as (
    select day, source, sum(articles) as source_articles from day_totals group by all
),
final as (
    select c.entity_id, c.name, c.label, c.day, c.source, c.articles, t.source_articles,
           round(c.articles / t.source_articles, 4) as share
    from counted c
    join totals t using (day, source)
)
select * from final
