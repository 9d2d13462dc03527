-- A theme's attention per article day and language: the articles in the language with the
-- theme and their share of that day's articles in the language.
-- From agg_theme_day and agg_article_day (kept at load, warehouse/attention_aggregates.py).
with counted as (
    select theme, day, language, sum(articles)::BIGINT as articles from agg_theme_day group by all
),
totals as (
    select day, language, sum(articles) as language_articles from agg_article_day group by all
),
final as (
    select c.theme, c.day, c.language, c.articles, t.language_articles,
           round(c.articles / t.language_articles, 4) as share
    from counted c
    join totals t using (day, language)
)
select * from final
