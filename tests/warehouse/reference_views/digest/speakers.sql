-- Who was quoted most in the day's articles (speakers resolved to an entity when known).
with day_articles as (
    select * from stg_articles where ingest_day = $day
),
final as (
    select coalesce(e.name, q.speaker) as speaker, count(*) as quotes,
           count(*) filter (where q.kind = 'direct') as direct_quotes,
           count(*) filter (where q.kind = 'mixed') as mixed_quotes,
           count(distinct q.article_id) as articles
    from quotes q
    join day_articles a using (article_id)
    left join entities e on e.entity_id = q.speaker_entity_id
    where q.speaker is not null
    group by all
)
select * from final order by quotes desc, speaker limit $limit
