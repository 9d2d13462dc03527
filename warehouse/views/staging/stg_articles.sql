-- Every article with its two days decided once: `day` (publication, else ingest day) is the
-- article's day in the marts; `ingest_day` (UTC day it arrived) is the digest's day.
with source as (
    select * from articles
),
final as (
    select *,
           coalesce(published_at, cast(ingested_at as date)) as day,
           cast(ingested_at as date) as ingest_day
    from source
)
select * from final
