-- A story day by day (issue 19): its articles, outlets and copies each day, with the story's
-- representative title and span. Merged stories appear under the story they merged into.
with copies as (
    select article_id, day, source, story_id, is_copy from article_copies where story_id is not null
),
daily as (
    select story_id, day,
           count(*) as articles,
           count(distinct source) as outlets,
           count(*) filter (where is_copy) as copies
    from copies
    group by all
),
final as (
    select d.story_id, s.title, s.first_seen, s.last_seen, d.day, d.articles, d.outlets, d.copies,
           sum(d.articles) over (partition by d.story_id order by d.day) as articles_to_date
    from daily d
    left join stories s using (story_id)
)
select * from final
