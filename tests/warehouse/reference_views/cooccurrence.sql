-- Entity pairs that appear in the same article, with how many articles they share.
with per_article as (
    select distinct article_id, entity_id from mentions
),
pairs as (
    select a.entity_id as entity_a, b.entity_id as entity_b, count(*) as articles
    from per_article a
    join per_article b on a.article_id = b.article_id and a.entity_id < b.entity_id
    group by all
),
final as (
    select p.entity_a, ea.name as name_a, ea.label as label_a,
           p.entity_b, eb.name as name_b, eb.label as label_b, p.articles
    from pairs p
    join entities ea on ea.entity_id = p.entity_a
    join entities eb on eb.entity_id = p.entity_b
)
select * from final
