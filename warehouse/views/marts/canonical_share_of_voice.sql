-- Share of voice over canonical entities (issue 13): a real-world entity's share of the day's
-- mentions of its canonical label, every spelling counted as one. The denominator is
-- agg_label_day (kept at load), as share_of_voice uses, so a filter on a day or a name reaches
-- the scans instead of a window over every entity-day. It counts the mentions the tagger gave
-- that label: for an entity whose label the archive outvoted (Yukos: PERSON -> ORG) the
-- day's shares of a label can sum a little off 1, and a day with no mention tagged that label
-- keeps the row with a NULL share (left join: nothing dropped).
with daily as (
    select * from canonical_mentions_daily
),
totals as (
    -- grouped again (a few thousand rows): a NULL day is a key the unique index cannot merge
    select day, label, sum(mentions) as mentions from agg_label_day group by all
),
final as (
    select d.day, d.label, d.canonical_id, d.name, d.watchlist, d.mentions,
           round(d.mentions / t.mentions, 4) as share
    from daily d
    left join totals t on t.day is not distinct from d.day and t.label = d.label
)
select * from final
