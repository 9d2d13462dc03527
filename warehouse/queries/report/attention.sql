-- Attention over [$from, $to] (article days): each chosen real-world entity's articles per day and
-- their share of all articles that day, an article naming two spellings counted once
-- (canonical_mentions_daily, issue 13). Chosen: the entity $entity names ($canonical_ids: its
-- canonical name or any spelling, any case, read by report/named.sql), or else the $limit people,
-- organisations and places in most articles then. The day filter reaches the aggregate scan.
with in_range as (
    select canonical_id, name, label, day, articles from canonical_mentions_daily where day between $from and $to
),
chosen as (
    select canonical_id
    from in_range
    where ($entity is null and label in ('PERSON', 'ORG', 'GPE')) or canonical_id in (select unnest($canonical_ids))
    group by canonical_id
    order by sum(articles) desc, min(name)
    limit $limit
),
totals as (
    select day, sum(articles) as day_articles from day_totals where day between $from and $to group by day
),
final as (
    select i.name, i.label, i.day, i.articles, t.day_articles, round(i.articles / t.day_articles, 4) as share
    from in_range i
    join totals t using (day)
    where i.canonical_id in (select canonical_id from chosen)
)
select * from final order by name, day
