-- Issue 18, ninth pass: story_timeline's rows kept in a table (one per story and article day), so
-- the view is a scan and a join with `stories`. The view grouped article_copies at each query
-- (every article, its story with merges followed, its copy flag from near_duplicates): 1.1 s at 1M
-- articles for one day or a top 20. Distinct counts do not add up and a story's articles move when
-- stories merge, so a load recomputes the stories its articles touch whole (warehouse/story_aggregates.py).
CREATE TABLE agg_story_day (
    story_id         VARCHAR NOT NULL,
    day              DATE,
    articles         BIGINT NOT NULL,
    outlets          BIGINT NOT NULL,
    copies           BIGINT NOT NULL,
    articles_to_date BIGINT NOT NULL
);

-- Backfill: the view as it was (article_copies' columns inlined over the base tables: views are
-- made after the migrations; a migration stays as it was applied), in day order (a day filter
-- skips row groups by zone map).
INSERT INTO agg_story_day
with recursive chain(story_id, current_id, depth) as (
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
    select article_id as x, other_id as y from near_duplicates
    union all
    select other_id as x, article_id as y from near_duplicates
),
copied as (
    select distinct l.x as article_id
    from links l
    join arts a on a.article_id = l.x
    join arts o on o.article_id = l.y
    where o.day < a.day
       or (o.day = a.day and (o.ingested_at < a.ingested_at
                              or (o.ingested_at = a.ingested_at and o.article_id < a.article_id)))
),
copies as (
    select a.article_id, a.day, a.source, coalesce(m.current_id, st.story_id) as story_id,
           c.article_id is not null as is_copy
    from arts a
    join article_stories st on st.article_id = a.article_id
    left join copied c on c.article_id = a.article_id
    left join merges m on m.story_id = st.story_id
)
select story_id, day, count(*), count(distinct source), count(*) filter (where is_copy),
       sum(count(*)) over (partition by story_id order by day)
from copies
group by story_id, day
order by day, story_id;
