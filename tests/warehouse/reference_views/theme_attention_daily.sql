-- A theme's attention per article day: the articles with the theme, as a count and as a share
-- of all articles that day, with their mean document tone.
with theme_articles as (
    select distinct t.theme, t.article_id, a.day, a.tone
    from article_themes t
    join stg_articles a using (article_id)
),
counted as (
    select theme, day, count(*) as articles, avg(tone) as avg_tone from theme_articles group by all
),
totals as (
    select day, sum(articles) as day_articles from day_totals group by day
),
final as (
    select c.theme, c.day, c.articles, t.day_articles,
           round(c.articles / t.day_articles, 4) as share,
           round(c.avg_tone, 3) as avg_tone
    from counted c
    join totals t using (day)
)
select * from final
