-- Spikes an ingest run may have made: canonical entities (warehouse.spikes.canonical_spikes_sql: every
-- spelling of one real-world entity counted once; entity_id the canonical id) on $days (the article
-- days of its articles, run_days.sql), at sensitivity $k with $min_articles or more, of the
-- watchlist's entities only when $watchlist_only, not yet alerted. Adding articles can only raise a
-- later day's baseline, so no other day can have become a spike. Read inside
-- warehouse.spikes.canonical_spike_days (the temp view and its bounds).
with candidates as (
    select s.*
    from canonical_spikes s
    where s.day in (select unnest($days)) and s.spike_level >= $k and s.articles >= $min_articles
      and (not $watchlist_only
           or s.entity_id in (select canonical_id from entity_canonicals where watchlist))
),
final as (
    select c.*
    from candidates c
    where not exists (select 1 from alerts a where a.kind = 'spike' and a.entity_id = c.entity_id and a.day = c.day)
)
select * from final order by day, z_score desc, entity_id
