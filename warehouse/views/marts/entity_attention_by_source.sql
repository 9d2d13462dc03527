-- An entity's attention per article day and source: the source's articles naming it, and their
-- share of all that source's articles that day (so a prolific outlet does not pass for interest).
-- Reads agg_entity_source_day (one row per entity, day and source, with its name; kept at load
-- by warehouse/attention_aggregates.py): no group, so a filter on the entity, its name or the
-- day reaches that scan and a LIMIT stops early.
with counted as (
    select entity_id, name, label, day, source, articles from agg_entity_source_day
),
totals as (
    select day, source, sum(articles) as source_articles from agg_article_day group by all
),
final as (
    select c.entity_id, c.name, c.label, c.day, c.source, c.articles, t.source_articles,
           round(c.articles / t.source_articles, 4) as share
    from counted c
    join totals t using (day, source)
)
select * from final
