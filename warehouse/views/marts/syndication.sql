-- Who copies whom (issue 19): each copy with the outlet it copies, the wire agency credited,
-- and the lag in hours from the original (by publication day when both are dated, so a
-- multiple of 24; else by arrival time).
with copies as (
    select article_id, source, copy_of, similarity, wire_agency from article_copies where is_copy
),
arts as (
    select article_id, source, published_at, ingested_at from stg_articles
),
final as (
    select o.source as original_source, c.source as copy_source, c.wire_agency,
           c.copy_of as original_id, c.article_id as copy_id, c.similarity,
           case when a.published_at is not null and o.published_at is not null
                then 24 * date_diff('day', o.published_at, a.published_at)
                else date_diff('second', o.ingested_at, a.ingested_at) / 3600.0 end as lag_hours
    from copies c
    join arts a on a.article_id = c.article_id
    join arts o on o.article_id = c.copy_of
)
select * from final
