-- The period's articles to list (naming $entity in any spelling, when given: $entity_ids, from
-- report/named.sql), newest first, strongest tone first.
with chosen as (
    select article_id from stg_articles where day between $from and $to and $entity is null
    union
    select ea.article_id
    from agg_entity_article ea
    where ea.day between $from and $to and ea.entity_id in (select unnest($entity_ids))
),
final as (
    select a.day, a.title, coalesce(a.source, '(unknown)') as source, a.url, round(a.tone, 3) as tone
    from stg_articles a
    join chosen c using (article_id)
)
select * from final order by day desc, abs(tone) desc nulls last, title limit $limit
