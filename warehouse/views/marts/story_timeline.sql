-- A story day by day (issue 19): its articles, outlets and copies each day, with the story's
-- representative title and span. Merged stories appear under the story they merged into.
-- Kept at load in agg_story_day (migration 033, warehouse/story_aggregates.py: the rules stay
-- in article_copies), so a day or a top 20 does not group every article of the archive.
with daily as (
    select story_id, day, articles, outlets, copies, articles_to_date from agg_story_day
),
final as (
    select d.story_id, s.title, s.first_seen, s.last_seen, d.day, d.articles, d.outlets, d.copies,
           cast(d.articles_to_date as hugeint) as articles_to_date  -- the type the view's sum() gave
    from daily d
    left join stories s using (story_id)
)
select * from final
