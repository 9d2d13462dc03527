-- What `--entity` names: each real-world entity whose canonical name, or any of whose spellings,
-- is $entity (any case), with every spelling of it (the entity ids the raw tables hold). Read
-- once per report (warehouse/reports.py) and passed on as lists: two lookups on the entity
-- tables, not the entity_canonical view (its joins over every entity cost ~0.6 s at 1M articles).
with named as (
    select coalesce(x.canonical_id, e.entity_id) as canonical_id
    from entities e
    left join entity_aliases x on x.alias_id = e.entity_id
    where lower(e.name) = lower($entity)
    union
    select canonical_id from entity_canonicals where lower(name) = lower($entity)
),
spellings as (
    select canonical_id, canonical_id as entity_id from named
    union
    select canonical_id, alias_id as entity_id from entity_aliases where canonical_id in (select canonical_id from named)
)
select canonical_id, entity_id from spellings order by all
