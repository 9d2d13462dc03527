-- The aggregates kept at load (migration 010, warehouse/aggregates.py) agree with a
-- recomputation from articles and mentions: one row per disagreeing key, as
-- (agg_table, key, stored, expected); a NULL side is a missing row. Sentiment sums are
-- compared to 1e-9 (addition order differs). Fix: `presswatch aggregates rebuild`.
with article_days as (
    select article_id, day, ingest_day from stg_articles
),
per_sentence as (
    select article_id, entity_id, sentence_idx, arg_min(sentiment, start_char) as sentiment
    from mentions where sentiment is not null
    group by all
),
scored as (
    select article_id, entity_id, count(*) as sentences, avg(sentiment) as score
    from per_sentence group by all
),
expected_article as (
    select m.article_id, m.entity_id, a.day, a.ingest_day, count(*) as mentions,
           sum(m.sentiment) as sentiment_sum, count(m.sentiment) as sentiment_count
    from mentions m join article_days a using (article_id)
    group by all
),
expected_ea as (
    -- with the entity's name and label and the stored stance (migration 030 keeps them on the row)
    select e.*, coalesce(s.sentences, 0) as sentences, s.score,
           n.name, n.label, st.stance, st.score as stance_score
    from expected_article e left join scored s using (article_id, entity_id)
    left join entities n using (entity_id)
    left join entity_stance st using (article_id, entity_id)
),
stored_ea as (
    select article_id, entity_id, count(*) as copies, any_value(day) as day,
           any_value(ingest_day) as ingest_day, sum(mentions) as mentions,
           sum(sentiment_sum) as sentiment_sum, sum(sentiment_count) as sentiment_count,
           sum(sentences) as sentences, any_value(score) as score,
           any_value(name) as name, any_value(label) as label, any_value(stance) as stance,
           any_value(stance_score) as stance_score
    from agg_entity_article group by article_id, entity_id
),
ea_diff as (
    select 'agg_entity_article' as agg_table,
           coalesce(s.article_id, e.article_id) || '|' || coalesce(s.entity_id, e.entity_id) as key,
           case when s.article_id is not null then {'copies': s.copies, 'day': s.day, 'ingest_day': s.ingest_day,
               'mentions': s.mentions, 'sentiment_sum': s.sentiment_sum, 'sentiment_count': s.sentiment_count,
               'sentences': s.sentences, 'score': s.score, 'name': s.name, 'label': s.label,
               'stance': s.stance, 'stance_score': s.stance_score}::varchar end as stored,
           case when e.article_id is not null then {'copies': 1, 'day': e.day, 'ingest_day': e.ingest_day,
               'mentions': e.mentions, 'sentiment_sum': e.sentiment_sum, 'sentiment_count': e.sentiment_count,
               'sentences': e.sentences, 'score': e.score, 'name': e.name, 'label': e.label,
               'stance': e.stance, 'stance_score': e.stance_score}::varchar end as expected
    from stored_ea s full join expected_ea e using (article_id, entity_id)
    where s.article_id is null or e.article_id is null or s.copies > 1
       or s.day is distinct from e.day or s.ingest_day is distinct from e.ingest_day
       or s.mentions <> e.mentions or s.sentiment_count <> e.sentiment_count or s.sentences <> e.sentences
       or coalesce(abs(s.sentiment_sum - e.sentiment_sum) > 1e-9, s.sentiment_sum is distinct from e.sentiment_sum)
       or coalesce(abs(s.score - e.score) > 1e-9, s.score is distinct from e.score)
       or s.name is distinct from e.name or s.label is distinct from e.label
       or s.stance is distinct from e.stance or s.stance_score is distinct from e.stance_score
),
expected_day as (
    -- the name and label as `entities` has them (migration 029 keeps them on the row)
    select a.entity_id, a.day, any_value(n.name) as name, any_value(n.label) as label,
           sum(a.mentions) as mentions, count(*) as articles,
           sum(a.sentiment_sum) as sentiment_sum, sum(a.sentiment_count) as sentiment_count
    from expected_article a left join entities n using (entity_id)
    group by a.entity_id, a.day
),
stored_day as (
    select entity_id, day, any_value(name) as name, any_value(label) as label,
           sum(mentions) as mentions, sum(articles) as articles,
           sum(sentiment_sum) as sentiment_sum, sum(sentiment_count) as sentiment_count
    from agg_entity_day group by entity_id, day
),
day_diff as (
    select 'agg_entity_day' as agg_table,
           coalesce(s.entity_id, e.entity_id) || '|' || coalesce(s.day, e.day) as key,
           case when s.entity_id is not null then {'name': s.name, 'label': s.label, 'mentions': s.mentions,
               'articles': s.articles, 'sentiment_sum': s.sentiment_sum,
               'sentiment_count': s.sentiment_count}::varchar end as stored,
           case when e.entity_id is not null then {'name': e.name, 'label': e.label, 'mentions': e.mentions,
               'articles': e.articles, 'sentiment_sum': e.sentiment_sum,
               'sentiment_count': e.sentiment_count}::varchar end as expected
    from stored_day s full join expected_day e on s.entity_id = e.entity_id and s.day is not distinct from e.day
    where s.entity_id is null or e.entity_id is null
       or s.name is distinct from e.name or s.label is distinct from e.label
       or s.mentions <> e.mentions or s.articles <> e.articles or s.sentiment_count <> e.sentiment_count
       or coalesce(abs(s.sentiment_sum - e.sentiment_sum) > 1e-9, s.sentiment_sum is distinct from e.sentiment_sum)
),
expected_entity as (
    select a.entity_id, n.name, n.label, sum(a.mentions) as mentions, count(*) as articles,
           sum(a.sentiment_sum) as sentiment_sum, sum(a.sentiment_count) as sentiment_count
    from expected_article a join entities n using (entity_id)
    group by all
),
entity_diff as (
    select 'agg_entity' as agg_table, coalesce(s.entity_id, e.entity_id) as key,
           case when s.entity_id is not null then {'name': s.name, 'label': s.label, 'mentions': s.mentions,
               'articles': s.articles, 'sentiment_sum': s.sentiment_sum,
               'sentiment_count': s.sentiment_count}::varchar end as stored,
           case when e.entity_id is not null then {'name': e.name, 'label': e.label, 'mentions': e.mentions,
               'articles': e.articles, 'sentiment_sum': e.sentiment_sum,
               'sentiment_count': e.sentiment_count}::varchar end as expected
    from agg_entity s full join expected_entity e using (entity_id)
    where s.entity_id is null or e.entity_id is null or s.name <> e.name or s.label <> e.label
       or s.mentions <> e.mentions or s.articles <> e.articles or s.sentiment_count <> e.sentiment_count
       or coalesce(abs(s.sentiment_sum - e.sentiment_sum) > 1e-9, s.sentiment_sum is distinct from e.sentiment_sum)
),
expected_pairs as (
    select a.entity_id as entity_a, ea.name as name_a, ea.label as label_a,
           b.entity_id as entity_b, eb.name as name_b, eb.label as label_b, count(*) as articles
    from expected_article a
    join expected_article b on a.article_id = b.article_id and a.entity_id < b.entity_id
    join entities ea on ea.entity_id = a.entity_id
    join entities eb on eb.entity_id = b.entity_id
    group by all
),
pair_diff as (
    select 'agg_cooccurrence' as agg_table,
           coalesce(s.entity_a, e.entity_a) || '|' || coalesce(s.entity_b, e.entity_b) as key,
           case when s.entity_a is not null then {'articles': s.articles, 'name_a': s.name_a, 'label_a': s.label_a,
               'name_b': s.name_b, 'label_b': s.label_b, 'pair_key': s.pair_key}::varchar end as stored,
           case when e.entity_a is not null then {'articles': e.articles, 'name_a': e.name_a, 'label_a': e.label_a,
               'name_b': e.name_b, 'label_b': e.label_b,
               'pair_key': e.entity_a || '|' || e.entity_b}::varchar end as expected
    from agg_cooccurrence s full join expected_pairs e using (entity_a, entity_b)
    where s.entity_a is null or e.entity_a is null or s.articles <> e.articles
       or s.name_a <> e.name_a or s.label_a <> e.label_a or s.name_b <> e.name_b or s.label_b <> e.label_b
       or s.pair_key is distinct from e.entity_a || '|' || e.entity_b
),
final as (
    select * from ea_diff
    union all select * from day_diff
    union all select * from entity_diff
    union all select * from pair_diff
)
select * from final
