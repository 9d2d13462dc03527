-- Coverage, not copies (issue 19): per entity per day, the articles that mention it, the
-- distinct stories they belong to, the distinct outlets that ran it, and the copies among them.
-- Kept at load in agg_coverage_day (migration 028, warehouse/coverage_aggregates.py: the
-- entity-days a batch or its dedup changes are recomputed from agg_entity_article and
-- article_copies), so a filter, a LIMIT or a count is a scan, not a group of every mention.
with final as (
    select entity_id, name, label, day, articles, stories, outlets, copies from agg_coverage_day
)
select * from final
