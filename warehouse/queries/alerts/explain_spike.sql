-- The explanations of the new spikes ($canonical_ids on $days), in one read: for each canonical
-- entity and day, the lists agg_spike_explanation keeps for its spelling with the most articles
-- that day (`Tony Blair`'s, not `Blair`'s), and the ids of all its spellings (the caller drops them
-- from the co-mentioned list: `Blair` is not news beside Tony Blair). Lists are kept for
-- entity-days of 3 or more articles: a canonical spike made of spellings each under 3 has none.
-- Pairs are matched by the caller.
with ids as (
    select distinct unnest($canonical_ids) as canonical_id
),
spellings as (
    select canonical_id, canonical_id as entity_id from ids
    union
    select a.canonical_id, a.alias_id as entity_id from entity_aliases a semi join ids using (canonical_id)
),
ranked as (
    select s.canonical_id, x.entity_id, x.day, b.articles, x.top_articles, x.outlets, x.co_mentioned, x.quotes
    from agg_spike_explanation x
    join spellings s using (entity_id)
    join agg_spike_baseline b using (entity_id, day)
    where x.day in (select unnest($days))
    qualify row_number() over (partition by s.canonical_id, x.day order by b.articles desc, x.entity_id) = 1
),
final as (
    select r.canonical_id, r.day, r.entity_id, r.top_articles, r.outlets, r.co_mentioned, r.quotes,
           (select list(s.entity_id order by s.entity_id) from spellings s where s.canonical_id = r.canonical_id)
               as spellings
    from ranked r
)
select * from final
