-- A theme's attention per article day: the articles with the theme, as a count and as a share
-- of all articles that day, with their mean document tone.
-- From agg_theme_day and agg_article_day (kept at load, warehouse/attention_aggregates.py): a
-- group over a few rows per theme and day, not over every article's themes.
with counted as (
    select theme, day, sum(articles)::BIGINT as articles, sum(tone_sum) / nullif(sum(tone_count), 0) as avg_tone
    from agg_theme_day
    group by theme, day
),
totals as (
    select day, sum(articles) as day_articles from agg_article_day group by day
),
final as (
    select c.theme, c.day, c.articles, t.day_articles,
           round(c.articles / t.day_articles, 4) as share,
           round(c.avg_tone, 3) as avg_tone
    from counted c
    join totals t using (day)
)
select * from final
