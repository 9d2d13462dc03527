-- Share of voice over [$from, $to]: the $limit real-world entities most mentioned, each with its
-- share of the basis's mentions then. The basis is the watchlist (entities.toml) when any of its
-- entities is mentioned in the period (a brand against the competitors it chose), else every
-- person and organisation. Every spelling of an entity counts as one (canonical_mentions_daily,
-- issue 13: `Blair` and `Mr Blair` within Tony Blair), under its newest name in the period.
with in_range as (
    select canonical_id, arg_max(name, day) as name, arg_max(label, day) as label,
           bool_or(watchlist) as watchlist, sum(mentions) as mentions
    from canonical_mentions_daily
    where day between $from and $to
    group by canonical_id
),
basis as (
    select coalesce(bool_or(watchlist), false) as watchlist_only from in_range
),
counted as (
    select i.*, b.watchlist_only
    from in_range i cross join basis b
    where (b.watchlist_only and i.watchlist) or (not b.watchlist_only and i.label in ('PERSON', 'ORG'))
),
final as (
    select name, label, cast(mentions as bigint) as mentions, round(mentions / sum(mentions) over (), 4) as share,
           case when watchlist_only then 'watchlist' else 'people and organisations' end as basis
    from counted
)
select * from final order by mentions desc, name limit $limit
