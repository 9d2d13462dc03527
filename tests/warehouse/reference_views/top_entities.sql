-- The most-mentioned people and organisations across the warehouse, as canonical entities.
with final as (
    select c.canonical_name as name, c.canonical_label as label, count(*) as mentions
    from mentions m
    join entity_canonical c using (entity_id)
    where c.canonical_label in ('PERSON', 'ORG')
    group by c.canonical_id, c.canonical_name, c.canonical_label
)
select * from final order by mentions desc, name limit 10;
