-- Spikes of canonical entities (issue 13): the `spikes` view's rule (the day's articles against the
-- 14 days before, confirmed against the previous day and the same weekday; docs/alerts.md) applied
-- to canonical_mentions_daily's rows, where every spelling of one real-world entity counts once:
-- `Blair` in 3 articles and `Tony Blair` in 4 (none naming both) are one entity in 7. What the
-- alerts and the report's spikes read. Bounded to the days `spikes_from`..`spikes_to` (session variables: SET VARIABLE
-- spikes_from = DATE '...'; warehouse/spikes.py sets them): it is not a view because nothing keeps
-- its baselines at load, and unbounded it scores every canonical-day of the archive (5.5 s at 100k
-- articles); bounded to one day it reads 15 days of agg_canonical_day (~40 ms at 100k, ~90 at 1M).
-- One row per canonical entity and day with >= 3 articles that passes k = 1.5; `watchlist`: the
-- entity is an entities.toml entry.
with bounds as not materialized (
    select coalesce(cast(getvariable('spikes_from') as date), date '0001-01-01') as first_day,
           coalesce(cast(getvariable('spikes_to') as date), date '9999-12-31') as last_day
),
archive as (
    select min(day) as first_day from stg_articles
),
-- a stray old article sets min(day) alone: a day needs 7 days with articles among its 14 before
-- (as in `spikes`)
archive_days as (
    select day,
           count(*) over (order by day range between interval 14 days preceding
                                            and interval 1 day preceding) as days_before
    from (select distinct day from agg_article_day
          where day >= (select first_day from bounds) - 14 and day <= (select last_day from bounds))
),
history as (
    select canonical_id, name, label, watchlist, day, articles, mentions
    from agg_canonical_day
    where day >= (select first_day from bounds) - 14 and day <= (select last_day from bounds)
),
candidates as (
    select * from history where articles >= 3 and day >= (select first_day from bounds)
),
-- each candidate's 14 days before it (days without the entity count as 0), as agg_spike_baseline
-- holds them for `spikes` (warehouse/aggregates.py, _SPIKE_BASELINE)
sums as (
    select c.canonical_id, c.name, c.label, c.watchlist, c.day, c.articles, c.mentions,
           coalesce(sum(h.articles) filter (where back.k > 0), 0) as sum14,
           coalesce(sum(h.articles * h.articles) filter (where back.k > 0), 0) as sumsq14,
           coalesce(sum(h.articles) filter (where back.k = 1), 0) as previous_day,
           coalesce(sum(h.articles) filter (where back.k = 7), 0) as same_weekday
    from candidates c
    cross join range(0, 15) back(k)
    join history h on h.canonical_id = c.canonical_id and h.day = c.day - cast(back.k as integer)
    group by all
),
baseline as (
    select s.*, least(14, s.day - a.first_day) as baseline_days
    from sums s
    cross join archive a
    join archive_days d on d.day = s.day
    where s.day - a.first_day >= 7 and d.days_before >= 7
),
scored as (
    select *,
           sum14 / baseline_days as baseline_mean,
           sqrt(greatest(sumsq14 / baseline_days - (sum14 / baseline_days) ^ 2, 0)) as baseline_sd
    from baseline
),
spread as (
    select *, greatest(baseline_sd, sqrt(baseline_mean), 1) as spread from scored
),
strength as (
    select *,
           (articles - baseline_mean) / spread as z,
           least((articles - baseline_mean) / spread,
                 (articles - previous_day) / spread,
                 (articles - same_weekday) / spread) as strength
    from spread
),
final as (
    select canonical_id, name, label, watchlist, day, articles, mentions,
           round(baseline_mean, 2) as baseline_mean,
           round(baseline_sd, 2) as baseline_sd,
           baseline_days, previous_day, same_weekday,
           round(spread, 2) as spread,
           round(z, 2) as z_score,
           round(strength, 2) as strength,
           case when strength >= 3 then 3.0 when strength >= 2 then 2.0 else 1.5 end as spike_level
    from strength
    where strength >= 1.5
)
select * from final order by day desc, z_score desc, canonical_id
