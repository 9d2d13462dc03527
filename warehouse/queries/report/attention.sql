-- Attention over [$from, $to] (article days): each chosen entity's articles per day and their
-- share of all articles that day. Chosen: the entity named $entity (any case), or else the
-- $limit people, organisations and places in most articles then. The day filter reaches the
-- aggregate scan under entity_attention_daily.
with in_range as (
    select * from entity_attention_daily where day between $from and $to
),
chosen as (
    select entity_id
    from in_range
    where ($entity is null and label in ('PERSON', 'ORG', 'GPE')) or lower(name) = lower($entity)
    group by entity_id
    order by sum(articles) desc, min(name)
    limit $limit
),
final as (
    select name, label, day, articles, day_articles, share
    from in_range
    where entity_id in (select entity_id from chosen)
)
select * from final order by name, day
