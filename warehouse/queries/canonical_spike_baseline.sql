-- Spike baselines of canonical entities (issue 13): what agg_spike_baseline keeps per raw entity
-- id for the `spikes` view (warehouse/aggregates.py, _SPIKE_BASELINE), computed here from
-- agg_canonical_day, where every spelling of one real-world entity counts once (`Blair` in 3
-- articles and `Tony Blair` in 4, none naming both, are one entity in 7); `entity_id` is the
-- canonical id. warehouse/spikes.py (canonical_spike_days) puts it in the `spikes` view in place of
-- agg_spike_baseline, so the spike rule is written once; the alerts and the report's spikes read
-- the result. Only for the days `spikes_from`..`spikes_to` (the view's session variables): nothing
-- keeps these baselines at load, and unbounded every canonical-day of the archive is scored (5.5 s
-- at 100k articles); bounded to one day it reads 15 days of agg_canonical_day (~40 ms at 100k,
-- ~90 at 1M). Candidates are canonical-days with >= 3 articles, as in agg_spike_baseline.
with bounds as (
    select coalesce(cast(getvariable('spikes_from') as date), date '0001-01-01') as first_day,
           coalesce(cast(getvariable('spikes_to') as date), date '9999-12-31') as last_day
),
history as (
    select canonical_id, name, label, day, articles, mentions
    from agg_canonical_day
    where day >= (select first_day from bounds) - 14 and day <= (select last_day from bounds)
),
candidates as (
    select * from history where articles >= 3 and day >= (select first_day from bounds)
)
-- each candidate's 14 days before it (days without the entity count as 0)
select c.canonical_id as entity_id, c.name, c.label, c.day, c.articles, c.mentions,
       coalesce(sum(h.articles) filter (where back.k > 0), 0) as sum14,
       coalesce(sum(h.articles * h.articles) filter (where back.k > 0), 0) as sumsq14,
       coalesce(sum(h.articles) filter (where back.k = 1), 0) as previous_day,
       coalesce(sum(h.articles) filter (where back.k = 7), 0) as same_weekday
from candidates c
cross join range(0, 15) back(k)
join history h on h.canonical_id = c.canonical_id and h.day = c.day - cast(back.k as integer)
group by all
