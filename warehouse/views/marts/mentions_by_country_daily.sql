-- Mentions per country per day (issue 13, docs/places.md): every mention of a place counts for
-- the country its article resolved it to (article_places: a city for its country, a US state for
-- US); `day` is the article's day (stg_articles). Continents have no country and are left out.
-- Read from agg_entity_article (issue 18: one row per article and entity, with its mention count
-- and day, kept at load), not from `mentions`: 1.6x fewer rows to join and no join to articles, so
-- a day filter reaches the scan (100k archive: one day 57-83 -> 14-16 ms, top 20 242-304 -> 179-219).
with placed as (
    select article_id, entity_id, country_code from article_places where country_code is not null
),
final as (
    select p.country_code, ea.day,
           cast(sum(ea.mentions) as bigint) as mentions,
           count(distinct ea.article_id) as articles,
           count(distinct ea.entity_id) as places
    from agg_entity_article ea
    join placed p using (article_id, entity_id)
    group by all
)
select * from final
