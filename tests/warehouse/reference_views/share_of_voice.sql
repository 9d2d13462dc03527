-- Share of voice: an entity's share of all mentions of entities of its label, per day.
with daily as (
    select * from entity_mentions_daily
),
final as (
    select day, label, entity_id, name, mentions,
           round(mentions / sum(mentions) over (partition by day, label), 4) as share
    from daily
)
select * from final
