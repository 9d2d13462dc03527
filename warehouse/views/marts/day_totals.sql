-- All articles per article day, in total and by source and by language: the denominators of
-- the attention views (an entity's or a theme's share of the day's news).
with days as (
    select day, coalesce(source, '(unknown)') as source, coalesce(language, '(unknown)') as language
    from stg_articles
),
final as (
    select day, source, language, count(*) as articles
    from days
    group by all
)
select * from final
