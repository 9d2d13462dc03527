-- Mentions per country per day (issue 13, docs/places.md): every mention of a place counts for
-- the country its article resolved it to (article_places: a city for its country, a US state for
-- US); `day` is the article's day (stg_articles). Continents have no country and are left out.
-- `articles` are the articles naming a place of that country that day, `places` the distinct
-- place entities. Issue 18: the rows are kept in agg_country_day (migration 031,
-- warehouse/country_aggregates.py: a load recomputes its articles' days), so this is a scan;
-- grouping agg_entity_article joined to article_places here took 1.2-2.0 s at 1M articles.
with per_day as (
    select country_code, day, mentions, articles, places from agg_country_day
),
final as (
    select * from per_day
)
select * from final
