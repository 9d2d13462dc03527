-- Every article with its two days decided once: `day` (publication, else ingest day) is the
-- article's day in the marts; `ingest_day` (UTC day it arrived) is the digest's day.
-- Issue 18: two branches, so that `where day = ...` reaches the scan as a filter on one column
-- (published_at, or ingested_at where there is none) and its zone maps: as one coalesce over two
-- columns it was applied after every column of every article was read (100k archive: 68 -> 6 ms
-- and 574 -> 203 MB; at 1M the bodies read made the query process's peak RSS 3.9 GB).
with dated as (
    select *, published_at as day
    from articles
    where published_at is not null
    union all
    select *, cast(ingested_at as date) as day
    from articles
    where published_at is null
),
final as (
    select *,
           cast(ingested_at as date) as ingest_day
    from dated
)
select * from final
