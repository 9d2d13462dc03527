-- Each entity's article-level sentiment per day: how many articles were negative, neutral
-- or positive toward it, and the mean article score (entity_article_sentiment). The counts
-- per entity and day are agg_entity_sentiment_day, kept at load by warehouse/aggregates.py
-- with entity_article_sentiment's own classes (no group over every article-entity row) and with
-- the entity's name and label (migration 029: no join to `entities`, whose hash table a count
-- or a top 20 built at every query, 1.5M entities at 1M articles).
with per_day as (
    select * from agg_entity_sentiment_day
),
final as (
    select d.entity_id, d.name, d.label, d.day,
           d.articles,
           cast(d.mentions as hugeint) as mentions,
           round(d.score_sum / d.articles, 4) as avg_sentiment,
           d.negative_articles, d.neutral_articles, d.positive_articles,
           round((d.positive_articles - d.negative_articles) / d.articles, 4) as net_sentiment
    from per_day d
)
select * from final
