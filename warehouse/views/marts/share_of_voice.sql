-- Share of voice: an entity's share of all mentions of entities of its label, per day. The
-- day's total per label is agg_label_day (kept at load, warehouse/aggregates.py), so a filter
-- on a day or a name reaches the scans instead of a window over every entity-day.
with daily as (
    select * from entity_mentions_daily
),
totals as (
    -- grouped again (a few thousand rows): a NULL day is a key the unique index cannot merge
    select day, label, sum(mentions) as mentions from agg_label_day group by all
),
final as (
    select d.day, d.label, d.entity_id, d.name, d.mentions,
           round(d.mentions / t.mentions, 4) as share
    from daily d
    join totals t on t.day is not distinct from d.day and t.label = d.label
)
select * from final
