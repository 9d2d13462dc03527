-- Days on which an entity is in far more articles than usual (Meltwater's editorial method):
-- the day's article count against the 14 days before it (days without the entity count as 0),
-- confirmed against the previous day and the same weekday a week before, so a rise that has
-- already begun, or a weekly column, is not news. One row per candidate (entity, day):
--   spread         the baseline's sd, floored at sqrt(mean) (counts are Poisson-like) and at 1
--   z_score        (articles - baseline_mean) / spread
--   strength       the smallest of z_score and the rises over the previous day and the same
--                  weekday, each in spreads
--   spike_level    the largest sensitivity k in (1.5, 2, 3) the day passes on all three counts:
--                  `where spike_level >= 2` is mean + 2 sd, confirmed (PRESSWATCH_SPIKE_SENSITIVITY)
-- Needs 7 days with articles among the 14 before the day; rows have >= 3 articles (apply your own minimum on
-- top, as the alerts do with PRESSWATCH_SPIKE_MIN_ARTICLES). Explained by spike_explanations.
-- The candidates (>= 3 articles) and the sums over their 14 days before are kept at load in
-- agg_spike_baseline (migration 022, warehouse/aggregates.py): the view is a scan of that small
-- table and a join to entities (issue 18: 1 s at 100k articles when it looked up 15 days per
-- candidate). A WHERE on day, name or entity reaches those scans; `SET VARIABLE spikes_from =
-- DATE '2024-03-01'` (and spikes_to) still bounds the days scored, as the alerts and reports do.
-- `bounds` is inlined (not materialized): materialized, its scalar subqueries hid the day range
-- from the scan (count at 100k: 270 -> 75-86 CPU ms, session 11).
with bounds as not materialized (
    select coalesce(cast(getvariable('spikes_from') as date), date '0001-01-01') as first_day,
           coalesce(cast(getvariable('spikes_to') as date), date '9999-12-31') as last_day
),
archive as (
    select min(day) as first_day from stg_articles
),
-- A stray old article (a backgrounder dated a year back) set min(day) alone, so the archive's
-- first real day was scored against 14 empty days: every entity on it spiked.
archive_days as (
    select day,
           count(*) over (order by day range between interval 14 days preceding
                                            and interval 1 day preceding) as days_before
    from (select distinct day from agg_article_day
          where day >= (select first_day from bounds) - 14 and day <= (select last_day from bounds))
),
baseline as (
    -- sums as hugeint, as the window sums before them were: the columns keep their types
    select b.entity_id, b.name, b.label, b.day, b.articles, b.mentions,
           least(14, b.day - a.first_day) as baseline_days,
           cast(b.sum14 as hugeint) as sum14, cast(b.sumsq14 as hugeint) as sumsq14,
           cast(b.previous_day as hugeint) as previous_day, cast(b.same_weekday as hugeint) as same_weekday
    from agg_spike_baseline b
    cross join archive a
    join archive_days d on d.day = b.day
    where b.name is not null  -- as the join to `entities` was (migration 029 keeps the name here)
      and b.day - a.first_day >= 7 and d.days_before >= 7
      and b.day >= (select first_day from bounds) and b.day <= (select last_day from bounds)
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
    select entity_id, name, label, day, articles, mentions,
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
select * from final order by day desc, z_score desc
