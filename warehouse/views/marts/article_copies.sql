-- Each article with what dedup found (issue 19; docs/dedup.md): copy_of = the earliest
-- article it near-duplicates (by day, then arrival, then id), is_copy, has_copies, its
-- similarity to copy_of (containment and Jaccard of word shingles), the wire agency it credits
-- (its own credit, else that of the article it copies), is_wire_copy, and its story (merges followed).
with recursive chain(story_id, current_id, depth) as (
    -- a merged story may itself be merged later: follow every step
    select story_id, merged_into, 1 from story_merges
    union all
    select c.story_id, m.merged_into, c.depth + 1 from chain c join story_merges m on m.story_id = c.current_id
),
merges as (
    select story_id, arg_max(current_id, depth) as current_id from chain group by story_id
),
arts as (
    select article_id, day, ingested_at, source from stg_articles
),
links as (
    select article_id as x, other_id as y, jaccard, containment from near_duplicates
    union all
    select other_id as x, article_id as y, jaccard, containment from near_duplicates
),
earlier as (
    select l.x as article_id, l.y as other_id, l.jaccard, l.containment,
           row_number() over (partition by l.x order by o.day, o.ingested_at, o.article_id) as rank
    from links l
    join arts a on a.article_id = l.x
    join arts o on o.article_id = l.y
    where o.day < a.day
       or (o.day = a.day and (o.ingested_at < a.ingested_at
                              or (o.ingested_at = a.ingested_at and o.article_id < a.article_id)))
),
originals as (
    select article_id, other_id as copy_of, containment as similarity, jaccard from earlier where rank = 1
),
copied as (
    select distinct copy_of as article_id from originals
),
final as (
    select a.article_id, a.source, a.day,
           o.copy_of, o.copy_of is not null as is_copy, c.article_id is not null as has_copies,
           o.similarity, o.jaccard,
           coalesce(s.wire_agency, src.wire_agency) as wire_agency,
           case when s.wire_agency is not null then s.wire_where
                when src.wire_agency is not null then 'copy' end as wire_source,
           (s.wire_agency is not null and (o.copy_of is not null or c.article_id is not null))
               or src.wire_agency is not null as is_wire_copy,
           coalesce(m.current_id, st.story_id) as story_id,
           st.story_id as assigned_story_id
    from arts a
    left join originals o on o.article_id = a.article_id
    left join copied c on c.article_id = a.article_id
    left join article_signatures s on s.article_id = a.article_id
    left join article_signatures src on src.article_id = o.copy_of
    left join article_stories st on st.article_id = a.article_id
    left join merges m on m.story_id = st.story_id
)
select * from final
