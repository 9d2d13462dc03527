-- Tone toward each real-world entity over [$from, $to]: mean mention sentiment over its scored
-- mentions with the articles behind it; the entity $entity names ($canonical_ids, from
-- report/named.sql), or the $limit people, organisations and places in most articles. Every
-- spelling counts as one (agg_canonical_day, kept at load: canonical_mentions_daily's sums).
with per_entity as (
    select canonical_id, arg_max(name, day) as name, arg_max(label, day) as label,
           sum(articles) as articles, sum(mentions) as mentions,
           round(sum(sentiment_sum) / nullif(sum(sentiment_count), 0), 4) as avg_sentiment
    from agg_canonical_day
    where day between $from and $to
    group by canonical_id
),
final as (
    select name, label, cast(articles as bigint) as articles, cast(mentions as bigint) as mentions, avg_sentiment
    from per_entity
    where avg_sentiment is not null
      and (($entity is null and label in ('PERSON', 'ORG', 'GPE'))
           or canonical_id in (select unnest($canonical_ids)))
)
select * from final order by articles desc, name limit $limit
