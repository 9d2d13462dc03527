-- Each real-world entity's average mention sentiment on the day against its history before the
-- day, every spelling counted as one (entity_aliases, issue 13: `Mr Blair` within Tony Blair),
-- from the aggregates kept at load: the history is the all-time total (agg_entity) less the rows
-- from the day on (agg_entity_article; ingest_day skips by zone map), so a long history is one
-- row per spelling, not every article. Only entities with 2 scored mentions on the day can pass.
with scored_today as (
    select entity_id, sum(sentiment_count) as scored
    from agg_entity_article
    where ingest_day = $day and sentiment_count > 0
    group by entity_id
),
today as (
    select coalesce(x.canonical_id, s.entity_id) as canonical_id
    from scored_today s
    left join entity_aliases x on x.alias_id = s.entity_id
    group by all
    having sum(s.scored) >= 2
),
spellings as (  -- every spelling of those entities, named on the day or not: its history counts
    select canonical_id, canonical_id as entity_id from today
    union
    select x.canonical_id, x.alias_id as entity_id from entity_aliases x semi join today t using (canonical_id)
),
since as (
    -- a NULL ingest_day is never "before the day" either: it is taken off the total too
    select r.entity_id,
           sum(r.sentiment_sum) filter (where r.ingest_day = $day) as sum_today,
           sum(r.sentiment_count) filter (where r.ingest_day = $day) as count_today,
           sum(r.sentiment_sum) as sum_since, sum(r.sentiment_count) as count_since
    from agg_entity_article r
    semi join spellings s using (entity_id)
    where r.sentiment_count > 0 and (r.ingest_day >= $day or r.ingest_day is null)
    group by r.entity_id
),
per_spelling as (
    select s.canonical_id, x.sum_today, x.count_today,
           a.sentiment_sum - coalesce(x.sum_since, 0) as sum_before,
           a.sentiment_count - coalesce(x.count_since, 0) as count_before
    from spellings s
    join agg_entity a using (entity_id)
    left join since x using (entity_id)
),
per_entity as (
    select canonical_id,
           round(sum(sum_today) / sum(count_today), 3) as sentiment_today,
           round(sum(sum_before) filter (where count_before > 0)
                 / sum(count_before) filter (where count_before > 0), 3) as sentiment_before,
           cast(sum(count_today) as bigint) as mentions_today
    from per_spelling
    group by canonical_id
    having sum(count_today) >= 2 and sum(count_before) >= 2
),
final as (
    select coalesce(k.name, e.name) as name, coalesce(k.label, e.label) as label,
           p.sentiment_today, p.sentiment_before, p.mentions_today,
           round(p.sentiment_today - p.sentiment_before, 3) as change
    from per_entity p
    left join entity_canonicals k on k.canonical_id = p.canonical_id
    left join entities e on e.entity_id = p.canonical_id
)
select * from final
order by abs(sentiment_today - sentiment_before) desc, name limit $limit
