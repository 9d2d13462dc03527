-- An entity's attention per article day and language: the articles in that language naming it,
-- and their share of all that day's articles in the language.
-- Reads agg_entity_language_day (one row per entity, day and language, with its name; kept at
-- load by warehouse/attention_aggregates.py): no group, so a filter on the entity, its name or
-- the day reaches that scan and a LIMIT stops early.
with counted as (
    select entity_id, name, label, day, language, articles from agg_entity_language_day
),
totals as (
    select day, language, sum(articles) as language_articles from agg_article_day group by all
),
final as (
    select c.entity_id, c.name, c.label, c.day, c.language, c.articles, t.language_articles,
           round(c.articles / t.language_articles, 4) as share
    from counted c
    join totals t using (day, language)
)
select * from final
