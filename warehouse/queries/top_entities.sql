-- The most-mentioned people and organisations across the warehouse, each counted once as the
-- canonical entity its spellings resolve to (as entity_canonical maps them: `Blair` and
-- `Mr Blair` within `Tony Blair`, `Yukos` under its voted label ORG; docs/entities.md), from the
-- all-time per-entity totals kept at load (agg_entity, warehouse/aggregates.py): one row per raw
-- entity, so the run report's cost does not grow with the mentions. Totals are summed by id
-- and only the leaders' names are read (a name column is the costly one to scan).
with totals as (
    select coalesce(x.canonical_id, a.entity_id) as canonical_id, sum(a.mentions) as mentions
    from agg_entity a
    left join entity_aliases x on x.alias_id = a.entity_id
    left join entity_canonicals k on k.canonical_id = coalesce(x.canonical_id, a.entity_id)
    where coalesce(k.label, a.label) in ('PERSON', 'ORG')
    group by all
),
leaders as (  -- every total that can be in the top 10 whatever the names' order of a tie
    select * from totals qualify rank() over (order by mentions desc) <= 10
),
final as (
    select coalesce(k.name, a.name) as name, coalesce(k.label, a.label) as label,
           cast(l.mentions as bigint) as mentions
    from leaders l
    left join entity_canonicals k on k.canonical_id = l.canonical_id
    left join agg_entity a on a.entity_id = l.canonical_id
)
select * from final order by mentions desc, name limit 10;
