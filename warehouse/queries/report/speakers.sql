-- Who was quoted most in the articles of [$from, $to] (those naming $entity in any spelling, when
-- given: $entity_ids, from report/named.sql): the articles are chosen first, then only their
-- quotes are grouped.
with range_articles as (
    select article_id from stg_articles where day between $from and $to and $entity is null
    union
    select ea.article_id
    from agg_entity_article ea
    where ea.day between $from and $to and ea.entity_id in (select unnest($entity_ids))
),
quoted as (
    select coalesce(e.name, q.speaker) as speaker, q.kind, q.article_id
    from quotes q
    join range_articles a using (article_id)
    left join entities e on e.entity_id = q.speaker_entity_id
    where q.speaker is not null
),
final as (
    select speaker, count(*) as quotes, count(*) filter (where kind = 'direct') as direct_quotes,
           count(*) filter (where kind = 'mixed') as mixed_quotes,
           count(distinct article_id) as articles
    from quoted
    group by all
)
select * from final order by quotes desc, speaker limit $limit
