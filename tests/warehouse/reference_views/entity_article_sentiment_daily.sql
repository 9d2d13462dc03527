-- Each entity's article-level sentiment per day: how many articles were negative, neutral
-- or positive toward it, and the mean article score (entity_article_sentiment).
with articles_of_day as (
    select * from entity_article_sentiment
),
final as (
    select entity_id, name, label, day,
           count(*) as articles,
           sum(mentions) as mentions,
           round(avg(avg_sentiment), 4) as avg_sentiment,
           count(*) filter (where sentiment = 'negative') as negative_articles,
           count(*) filter (where sentiment = 'neutral') as neutral_articles,
           count(*) filter (where sentiment = 'positive') as positive_articles,
           round((count(*) filter (where sentiment = 'positive')
                  - count(*) filter (where sentiment = 'negative')) / count(*), 4) as net_sentiment
    from articles_of_day
    group by all
)
select * from final
