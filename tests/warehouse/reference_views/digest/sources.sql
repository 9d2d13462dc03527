-- Articles in on the day ($day: the UTC day of ingested_at), per source.
with day_articles as (
    select * from stg_articles where ingest_day = $day
),
final as (
    select coalesce(source, '(unknown)') as source, count(*) as articles,
           round(avg(tone), 3) as avg_tone
    from day_articles
    group by all
)
select * from final order by articles desc, source
