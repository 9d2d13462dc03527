-- The day's articles in order of arrival.
with day_articles as (
    select * from stg_articles where ingest_day = $day
),
final as (
    select title, coalesce(source, '(unknown)') as source, published_at, round(tone, 3) as tone,
           ingested_at
    from day_articles
)
select title, source, published_at, tone from final order by ingested_at, title limit $limit
