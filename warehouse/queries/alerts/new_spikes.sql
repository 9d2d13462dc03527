-- Spikes an ingest run may have made: on $days (the article days of its articles, run_days.sql),
-- at sensitivity $k with $min_articles or more, not yet alerted. Adding articles can only raise
-- a later day's baseline, so no other day can have become a spike.
with candidates as (
    select s.*
    from spikes s
    where s.day in (select unnest($days)) and s.spike_level >= $k and s.articles >= $min_articles
),
final as (
    select c.*
    from candidates c
    where not exists (select 1 from alerts a where a.kind = 'spike' and a.entity_id = c.entity_id and a.day = c.day)
)
select * from final order by day, z_score desc, entity_id
