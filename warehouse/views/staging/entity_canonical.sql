-- Every raw entity id with the canonical entity it resolves to (itself when no rule merged it):
-- what analysts and views join through (issue 13, docs/entities.md).
with source as (
    select entity_id, name, label from entities
),
aliased as (
    select s.entity_id, s.name, s.label, coalesce(a.canonical_id, s.entity_id) as canonical_id, a.reason
    from source s
    left join entity_aliases a on a.alias_id = s.entity_id
),
final as (
    select a.entity_id, a.name, a.label, a.canonical_id,
           coalesce(c.name, a.name) as canonical_name,
           coalesce(c.label, a.label) as canonical_label,
           c.wikidata, coalesce(c.watchlist, false) as watchlist, a.reason
    from aliased a
    left join entity_canonicals c on c.canonical_id = a.canonical_id
)
select * from final
