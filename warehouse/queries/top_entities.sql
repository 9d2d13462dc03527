-- The most-mentioned people and organisations across the warehouse, from the all-time
-- per-entity totals kept at load with their names (agg_entity, warehouse/aggregates.py): a
-- scan of one row per entity, so the run report's cost does not grow with the mentions.
with final as (
    select name, label, cast(sum(mentions) as bigint) as mentions
    from agg_entity
    where label in ('PERSON', 'ORG')
    group by all
)
select * from final order by mentions desc, name limit 10;
