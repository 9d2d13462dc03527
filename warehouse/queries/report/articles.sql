-- The period's articles to list (naming $entity, when given), newest first, strongest tone first.
with spellings as (  -- $entity by its canonical name or any spelling: every spelling of that entity
    select entity_id from entity_canonical
    where canonical_id in (select canonical_id from entity_canonical
                           where lower(canonical_name) = lower($entity) or lower(name) = lower($entity))
),
chosen as (
    select article_id from stg_articles where day between $from and $to and $entity is null
    union
    select ea.article_id
    from agg_entity_article ea
    join spellings s using (entity_id)
    where ea.day between $from and $to
),
final as (
    select a.day, a.title, coalesce(a.source, '(unknown)') as source, a.url, round(a.tone, 3) as tone
    from stg_articles a
    join chosen c using (article_id)
)
select * from final order by day desc, abs(tone) desc nulls last, title limit $limit
