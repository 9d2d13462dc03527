-- Coverage, not copies (issue 19): per entity per day, the articles that mention it, the
-- distinct stories they belong to, the distinct outlets that ran it, and the copies among them.
with copies as (
    select article_id, day, source, story_id, is_copy from article_copies
),
mentioned as (
    select distinct article_id, entity_id from mentions
),
final as (
    select m.entity_id, e.name, e.label, c.day,
           count(*) as articles,
           count(distinct c.story_id) as stories,
           count(distinct c.source) as outlets,
           count(*) filter (where c.is_copy) as copies
    from mentioned m
    join copies c using (article_id)
    join entities e using (entity_id)
    group by all
)
select * from final
