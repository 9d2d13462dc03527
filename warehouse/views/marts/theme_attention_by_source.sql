-- A theme's attention per article day and source: the source's articles with the theme and
-- their share of the source's articles that day.
-- From agg_theme_day and agg_article_day (kept at load, warehouse/attention_aggregates.py).
with counted as (
    select theme, day, source, sum(articles)::BIGINT as articles from agg_theme_day group by all
),
totals as (
    select day, source, sum(articles) as source_articles from agg_article_day group by all
),
final as (
    select c.theme, c.day, c.source, c.articles, t.source_articles,
           round(c.articles / t.source_articles, 4) as share
    from counted c
    join totals t using (day, source)
)
select * from final
