-- Tone toward each entity over [$from, $to]: mean mention sentiment (days weighted by their
-- scored mentions' count, approximated by mentions) with the articles behind it; the entity
-- $entity, or the $limit people, organisations and places in most articles.
with in_range as (
    select entity_id, name, label, articles, mentions, avg_sentiment
    from entity_mentions_daily
    where day between $from and $to
),
per_entity as (
    select entity_id, name, label, sum(articles) as articles, sum(mentions) as mentions,
           round(sum(avg_sentiment * mentions) / nullif(sum(mentions) filter (where avg_sentiment is not null), 0), 4)
               as avg_sentiment
    from in_range
    group by all
),
final as (
    select name, label, articles, mentions, avg_sentiment
    from per_entity
    where avg_sentiment is not null
      and (($entity is null and label in ('PERSON', 'ORG', 'GPE')) or lower(name) = lower($entity))
)
select * from final order by articles desc, name limit $limit
