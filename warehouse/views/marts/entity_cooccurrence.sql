-- The entities named in the same articles as one entity: `cooccurrence` seen from each side (a
-- pair is one row for each of its two entities). Ask it for one entity: `where name = '...'` or
-- `where entity_id = '...'`. Each side is its own scan of agg_cooccurrence, so the filter is
-- one column's, pushed into the scan (issue 18: `cooccurrence where name_a = x or name_b = x`
-- cannot push an OR over two columns and reads every column of every pair: 561 CPU ms at 100k).
-- The rebuild lays the pairs out so that both sides' filters skip row groups (warehouse/aggregates.py).
with as_first as (
    select entity_a as entity_id, name_a as name, label_a as label,
           entity_b as other_id, name_b as other_name, label_b as other_label, articles
    from agg_cooccurrence
),
as_second as (
    select entity_b as entity_id, name_b as name, label_b as label,
           entity_a as other_id, name_a as other_name, label_a as other_label, articles
    from agg_cooccurrence
),
final as (
    select * from as_first
    union all
    select * from as_second
)
select * from final
