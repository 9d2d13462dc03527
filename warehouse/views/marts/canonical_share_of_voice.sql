-- Share of voice over canonical entities (issue 13): a real-world entity's share of all
-- mentions of entities of its canonical label, per day, every spelling counted as one.
with daily as (
    select * from canonical_mentions_daily
),
final as (
    select day, label, canonical_id, name, mentions,
           round(mentions / sum(mentions) over (partition by day, label), 4) as share
    from daily
)
select * from final
