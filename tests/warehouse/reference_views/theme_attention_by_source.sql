-- A theme's attention per article day and source: the source's articles with the theme and
-- their share of the source's articles that day.
with theme_articles as (
    select distinct t.theme, t.article_id, a.day, coalesce(a.source, '(unknown)') as source
    from article_themes t
    join stg_articles a using (article_id)
),
counted as (
    select theme, day, source, count(*) as articles from theme_articles group by all
),
totals as (
    select day, source, sum(articles) as source_articles from day_totals group by all
),
final as (
    select c.theme, c.day, c.source, c.articles, t.source_articles,
           round(c.articles / t.source_articles, 4) as share
    from counted c
    join totals t using (day, source)
)
select * from final
