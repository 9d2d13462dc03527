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
-- Needs 7 days of archive before the day; rows have >= 3 articles (apply your own minimum on
-- top, as the alerts do with PRESSWATCH_SPIKE_MIN_ARTICLES). Explained by spike_explanations.
-- Only candidate days (>= 3 articles, a week of archive before) are scored: each reads its
-- entity's 14 days before it from agg_entity_day by a join, not a window over every entity-day
-- of the archive (issue 18: 3 s at 100k articles). A WHERE on day, name or entity reaches the
-- candidates; `SET VARIABLE spikes_from = DATE '2024-03-01'` (and spikes_to) still bounds the
-- days scored, as the alerts and reports do.
with bounds as (
    select coalesce(cast(getvariable('spikes_from') as date), date '0001-01-01') as first_day,
           coalesce(cast(getvariable('spikes_to') as date), date '9999-12-31') as last_day
),
archive as (
    select min(day) as first_day from stg_articles
),
candidates as (
    select d.entity_id, e.name, e.label, d.day, d.articles, d.mentions,
           least(14, d.day - a.first_day) as baseline_days
    from agg_entity_day d
    join entities e using (entity_id)
    cross join archive a
    where d.articles >= 3 and d.day - a.first_day >= 7
      and d.day >= (select first_day from bounds) and d.day <= (select last_day from bounds)
),
baseline as (
    -- the entity's days among the 14 before each candidate, looked up by key (days without
    -- it are absent: they count as 0). Offset 0 is the candidate's own row, so an inner join
    -- keeps every candidate (and may build its hash table on the candidates); one reference to
    -- candidates, so a filter on the name or the day reaches its scan
    select c.entity_id, c.name, c.label, c.day, c.articles, c.mentions, c.baseline_days,
           coalesce(sum(h.articles) filter (where back.k > 0), 0) as sum14,
           coalesce(sum(h.articles * h.articles) filter (where back.k > 0), 0) as sumsq14,
           coalesce(sum(h.articles) filter (where back.k = 1), 0) as previous_day,
           coalesce(sum(h.articles) filter (where back.k = 7), 0) as same_weekday
    from candidates c
    cross join range(0, 15) back(k)
    join agg_entity_day h on h.entity_id = c.entity_id and h.day = c.day - cast(back.k as integer)
    group by c.entity_id, c.name, c.label, c.day, c.articles, c.mentions, c.baseline_days
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
