-- Why each spike in `spikes` happened: the articles naming the entity on the day, the outlets
-- that ran them, the entities most often named beside it and the quotes in those articles.
-- Lists are cut to the first 10 (articles most about the entity first, others by count;
-- co-mentioned entities tied on count by name, then entity id).
-- The lists of every candidate spike day (agg_spike_baseline's rows) are kept at load in
-- agg_spike_explanation (migration 025, warehouse/aggregates.py): the view is `spikes` joined to
-- that small table, so a filter on day, name or entity_id, a LIMIT or a count reads only what it
-- needs (issue 18: at 100k articles ~0.4 s for one day and 6 s unfiltered when the lists were
-- made here). `spikes_from` / `spikes_to` bound it as they bound `spikes`.
-- The table comes first in the join: written the other way round, DuckDB 1.5 read the four list
-- columns of every row even for a count (EXPLAIN ANALYZE: its scan 0.18 s at 100k; now the keys
-- only, count 264-268 -> 91-106 ms, session 14).
with final as (
    select s.entity_id, s.name, s.label, s.day, s.articles, s.z_score, s.spike_level,
           x.top_articles, x.outlets, x.co_mentioned, x.quotes
    from agg_spike_explanation x
    join spikes s on s.entity_id = x.entity_id and s.day = x.day
)
select * from final
