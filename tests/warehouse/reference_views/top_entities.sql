-- The most-mentioned people and organisations across the warehouse.
with final as (
    select e.name, e.label, count(*) as mentions
    from mentions m
    join entities e using (entity_id)
    where e.label in ('PERSON', 'ORG')
    group by all
)
select * from final order by mentions desc, name limit 10;
