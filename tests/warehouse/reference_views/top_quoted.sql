-- Reference (issue 18): top_quoted as it was before agg_speaker, grouping every quote.
-- Who is quoted most, by canonical speaker (the entity when resolved, pronouns and roles
-- included): every kind counts (direct, mixed, indirect), each also on its own.
with resolved as (
    select q.*, coalesce(e.name, q.speaker) as speaker_name, e.label as speaker_label,
           a.day
    from quotes q
    join stg_articles a using (article_id)
    left join entities e on e.entity_id = q.speaker_entity_id
    where q.speaker is not null
),
final as (
    select speaker_entity_id, speaker_name as speaker, speaker_label,
           count(*) as quotes,
           count(*) filter (where kind = 'direct') as direct_quotes,
           count(*) filter (where kind = 'mixed') as mixed_quotes,
           count(*) filter (where kind = 'indirect') as indirect_quotes,
           count(distinct article_id) as articles,
           round(avg(sentiment), 4) as avg_sentiment,
           min(day) as first_quoted, max(day) as last_quoted
    from resolved
    group by all
)
select * from final order by quotes desc
