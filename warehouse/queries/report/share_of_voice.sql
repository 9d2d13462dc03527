-- Share of voice over [$from, $to]: the $limit people and organisations most mentioned, each
-- with its share of all mentions of people and organisations then.
with in_range as (
    select entity_id, name, label, sum(mentions) as mentions
    from entity_mentions_daily
    where day between $from and $to and label in ('PERSON', 'ORG')
    group by all
),
final as (
    select name, label, mentions, round(mentions / sum(mentions) over (), 4) as share from in_range
)
select * from final order by mentions desc, name limit $limit
