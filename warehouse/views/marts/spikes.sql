-- Days on which an entity is mentioned far more than over its trailing 7 days.
with daily as (
    select entity_id, name, label, day, mentions from entity_mentions_daily
),
windowed as (
    select *,
           avg(mentions) over w as trailing_mean,
           stddev_pop(mentions) over w as trailing_sd,
           count(*) over w as trailing_days
    from daily
    window w as (partition by entity_id order by day
                 range between interval 7 days preceding and interval 1 day preceding)
),
final as (
    select entity_id, name, label, day, mentions,
           round(trailing_mean, 2) as trailing_mean,
           round((mentions - trailing_mean) / greatest(trailing_sd, 1), 2) as z_score
    from windowed
    where trailing_days > 0 and mentions >= 3 and mentions > 2 * trailing_mean
)
select * from final order by z_score desc
