-- Mentions, articles and tone of each canonical entity per article day: every spelling and
-- label of one real-world entity counted once (entity_canonical, issue 13). From
-- agg_entity_article, so an article naming `Bush` and `George W Bush` counts once. `watchlist`:
-- the entity is an entities.toml entry (what share of voice and alerts put first).
with per_article as (
    select c.canonical_id, c.canonical_name, c.canonical_label, c.watchlist, a.article_id, a.day,
           a.mentions, a.sentiment_sum, a.sentiment_count
    from agg_entity_article a
    join entity_canonical c using (entity_id)
),
final as (
    select canonical_id, canonical_name as name, canonical_label as label, watchlist, day,
           sum(mentions)::BIGINT as mentions, count(distinct article_id) as articles,
           round(sum(sentiment_sum) / nullif(sum(sentiment_count), 0), 4) as avg_sentiment
    from per_article
    group by all
)
select * from final
