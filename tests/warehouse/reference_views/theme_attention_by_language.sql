-- A theme's attention per article day and language: the articles in the language with the
-- theme and their share of that day's articles in the language.
with theme_articles as (
    select distinct t.theme, t.article_id, a.day, coalesce(a.language, '(unknown)') as language
    from article_themes t
    join stg_articles a using (article_id)
),
counted as (
    select theme, day, language, count(*) as articles from theme_articles group by all
),
totals as (
    select day, language, sum(articles) as language_articles from day_totals group by all
),
final as (
    select c.theme, c.day, c.language, c.articles, t.language_articles,
           round(c.articles / t.language_articles, 4) as share
    from counted c
    join totals t using (day, language)
)
select * from final
