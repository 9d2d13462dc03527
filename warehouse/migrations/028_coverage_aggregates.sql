-- Issue 18, sixth pass: coverage_daily's and canonical_mentions_daily's rows kept at load by
-- warehouse/coverage_aggregates.py (rebuilt and checked with the other aggregates), so the views
-- are a scan, not count distincts over every (article, entity) pair. Its stories and copies are re-decided by dedup after load (story
-- merges, an earlier near-duplicate arriving later): the load recomputes the entity-days those
-- touch (warehouse/dedup.py, warehouse/aggregates.py), so rows are replaced, not added to.

-- One row per (entity, article day): coverage_daily's columns.
CREATE TABLE agg_coverage_day (
    entity_id VARCHAR NOT NULL,
    name      VARCHAR,
    label     VARCHAR,
    day       DATE,
    articles  BIGINT NOT NULL,
    stories   BIGINT NOT NULL,
    outlets   BIGINT NOT NULL,
    copies    BIGINT NOT NULL
);

-- Backfill: coverage_daily as it was (article_copies inlined over the articles table: views are
-- made after the migrations; a migration stays as it was applied), in name order (a name filter
-- skips row groups by zone map).
INSERT INTO agg_coverage_day
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
    select article_id, coalesce(published_at, cast(ingested_at as date)) as day, ingested_at, source from articles
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
copies as (
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
),
mentioned as (
    select distinct article_id, entity_id from mentions
)
select m.entity_id, e.name, e.label, c.day,
       count(*), count(distinct c.story_id), count(distinct c.source), count(*) filter (where c.is_copy)
from mentioned m
join copies c using (article_id)
join entities e using (entity_id)
group by all
order by e.name, c.day;

-- canonical_mentions_daily's sums per (canonical entity, article day), with the canonical's name,
-- label and watchlist flag. The canonical mapping changes on `presswatch entities rebuild` (the
-- table is rebuilt whole in its transaction) and when a load joins new spellings to known
-- canonicals (their days recomputed): warehouse/entities.py.
CREATE TABLE agg_canonical_day (
    canonical_id    VARCHAR NOT NULL,
    name            VARCHAR,
    label           VARCHAR,
    watchlist       BOOLEAN,
    day             DATE,
    mentions        BIGINT NOT NULL,
    articles        BIGINT NOT NULL,
    sentiment_sum   DOUBLE,
    sentiment_count BIGINT NOT NULL
);

-- Backfill (entity_canonical inlined over its tables, as it was when this was written).
INSERT INTO agg_canonical_day
with canonical as (
    select e.entity_id, coalesce(a.canonical_id, e.entity_id) as canonical_id,
           coalesce(c.name, e.name) as canonical_name, coalesce(c.label, e.label) as canonical_label,
           coalesce(c.watchlist, false) as watchlist
    from entities e
    left join entity_aliases a on a.alias_id = e.entity_id
    left join entity_canonicals c on c.canonical_id = coalesce(a.canonical_id, e.entity_id)
)
select c.canonical_id, c.canonical_name, c.canonical_label, c.watchlist, a.day,
       sum(a.mentions)::BIGINT, count(distinct a.article_id), sum(a.sentiment_sum), sum(a.sentiment_count)::BIGINT
from agg_entity_article a
join canonical c using (entity_id)
group by all
order by c.canonical_name, a.day;
