-- Entity pairs that appear in the same article, with how many articles they share, from
-- agg_cooccurrence (one row per pair with both names, kept at load by warehouse/aggregates.py).
with pairs as (
    select entity_a, name_a, label_a, entity_b, name_b, label_b, articles from agg_cooccurrence
),
final as (
    select * from pairs
)
select * from final
