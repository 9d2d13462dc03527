-- Why each spike in `spikes` happened: the articles naming the entity on the day, the outlets
-- that ran them, the entities most often named beside it and the quotes in those articles.
-- Lists are cut to the first 10 (articles most about the entity first, others by count). Reads
-- agg_entity_article (article x entity, kept at load), not mentions. Filter it (day, entity_id,
-- name): DuckDB materializes spike_articles (read four times) for every spike before the filter,
-- but the lists are made for the filtered spikes only (~0.4 CPU s at 100k; unfiltered ~6-10 s).
with spike_days as not materialized (
    select entity_id, name, label, day, articles, z_score, spike_level from spikes
),
spike_articles as not materialized (
    select s.entity_id, s.name, s.day, ea.article_id, ea.mentions
    from spike_days s
    join agg_entity_article ea on ea.entity_id = s.entity_id and ea.day = s.day
),
article_lists as (
    select sa.entity_id, sa.name, sa.day,
           list({'article_id': a.article_id, 'title': a.title, 'source': a.source, 'url': a.url,
                 'tone': round(a.tone, 3), 'mentions': sa.mentions}
                order by sa.mentions desc, abs(a.tone) desc nulls last, a.article_id)[1:10]
               as top_articles
    from spike_articles sa join stg_articles a using (article_id)
    group by all
),
outlet_lists as (
    select entity_id, name, day,
           list({'source': source, 'articles': n} order by n desc, source)[1:10] as outlets
    from (select sa.entity_id, sa.name, sa.day, coalesce(a.source, '(unknown)') as source, count(*) as n
          from spike_articles sa join stg_articles a using (article_id) group by all)
    group by all
),
co_mentioned_lists as (
    select entity_id, name, day,
           coalesce(list({'entity_id': other_id, 'name': other_name, 'label': other_label, 'articles': n}
                         order by n desc, other_name) filter (where other_id is not null), [])[1:10] as co_mentioned
    from (select sa.entity_id, sa.name, sa.day, e.entity_id as other_id, e.name as other_name,
                 e.label as other_label, count(distinct sa.article_id) as n
          from spike_articles sa
          left join agg_entity_article m on m.article_id = sa.article_id and m.entity_id <> sa.entity_id
          left join entities e on e.entity_id = m.entity_id
          group by all)
    group by all
),
quote_lists as (
    select sa.entity_id, sa.name, sa.day,
           coalesce(list({'article_id': q.article_id, 'speaker': coalesce(e.name, q.speaker), 'text': q.text,
                          'about_entity': q.speaker_entity_id = sa.entity_id}
                         order by (q.speaker_entity_id = sa.entity_id) desc nulls last, q.kind, q.article_id,
                                  q.quote_idx) filter (where q.article_id is not null), [])[1:10] as quotes
    from spike_articles sa
    left join quotes q using (article_id)
    left join entities e on e.entity_id = q.speaker_entity_id
    group by all
),
final as (
    select s.entity_id, s.name, s.label, s.day, s.articles, s.z_score, s.spike_level,
           a.top_articles, o.outlets, c.co_mentioned, q.quotes
    from spike_days s
    -- Inner joins only, on all three keys: a filter on entity_id, name or day reaches every list.
    join article_lists a using (entity_id, name, day)
    join outlet_lists o using (entity_id, name, day)
    join co_mentioned_lists c using (entity_id, name, day)
    join quote_lists q using (entity_id, name, day)
)
select * from final
