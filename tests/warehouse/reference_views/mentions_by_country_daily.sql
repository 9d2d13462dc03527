-- Mentions per country per day (issue 13, docs/places.md): every mention of a place counts for
-- the country its article resolved it to (article_places: a city for its country, a US state for
-- US); `day` is the article's day (stg_articles). Continents have no country and are left out.
with placed as (
    select article_id, entity_id, country_code from article_places where country_code is not null
),
final as (
    select p.country_code, a.day,
           count(*) as mentions,
           count(distinct m.article_id) as articles,
           count(distinct m.entity_id) as places
    from mentions m
    join placed p using (article_id, entity_id)
    join stg_articles a using (article_id)
    group by all
)
select * from final
