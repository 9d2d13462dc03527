-- Reference (issue 18): spikes as it was before the candidate-days rewrite (a window over every entity-day).
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
-- The whole archive is scored unless the session bounds the days (the window cannot see a
-- WHERE on day): `SET VARIABLE spikes_from = DATE '2024-03-01'` (and spikes_to) scores only
-- those days, reading 14 days more for their baseline; the alerts and reports do so.
with bounds as (
    select coalesce(cast(getvariable('spikes_from') as date), date '0001-01-01') as first_day,
           coalesce(cast(getvariable('spikes_to') as date), date '9999-12-31') as last_day
),
daily as (
    select entity_id, name, label, day, articles, mentions
    from entity_mentions_daily
    where day >= (select first_day from bounds) - 14 and day <= (select last_day from bounds)
),
archive as (
    select min(day) as first_day from stg_articles
),
archive_days as (
    select day,
           count(*) over (order by day range between interval 14 days preceding
                                            and interval 1 day preceding) as days_before
    from (select distinct day from stg_articles)
),
windowed as (
    select *,
           coalesce(sum(articles) over w14, 0) as sum14,
           coalesce(sum(articles * articles) over w14, 0) as sumsq14,
           coalesce(sum(articles) over w1, 0) as previous_day,
           coalesce(sum(articles) over w7, 0) as same_weekday
    from daily
    -- name and label ride along in the partition (they follow entity_id) so that a filter on
    -- the name, not only on entity_id, reaches the scan below the window.
    window w14 as (partition by entity_id, name, label order by day
                   range between interval 14 days preceding and interval 1 day preceding),
           w1 as (partition by entity_id, name, label order by day
                  range between interval 1 day preceding and interval 1 day preceding),
           w7 as (partition by entity_id, name, label order by day
                  range between interval 7 days preceding and interval 7 days preceding)
),
baseline as (
    select w.*, least(14, w.day - a.first_day) as baseline_days
    from windowed w cross join archive a join archive_days d on d.day = w.day
    where w.articles >= 3 and w.day - a.first_day >= 7 and d.days_before >= 7
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
    where strength >= 1.5 and day >= (select first_day from bounds)
)
select * from final order by day desc, z_score desc
