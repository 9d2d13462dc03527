-- Each source's average document tone on the day against its previous 7 days.
with per_day as (
    select coalesce(source, '(unknown)') as source, ingest_day as day, tone
    from stg_articles
    where ingest_day between $day - interval 7 day and $day
),
per_source as (
    select source,
           round(avg(tone) filter (where day = $day), 3) as tone_today,
           round(avg(tone) filter (where day < $day), 3) as tone_before,
           count(*) filter (where day = $day) as articles_today
    from per_day group by all
    having count(*) filter (where day = $day) > 0
),
final as (
    select *, round(tone_today - tone_before, 3) as change from per_source
)
select * from final
order by abs(coalesce(tone_today - tone_before, 0)) desc, source limit $limit
