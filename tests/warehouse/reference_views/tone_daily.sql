-- Document tone over time, per source and article day.
with final as (
    select day, source,
           count(*) as articles,
           round(avg(tone), 3) as avg_tone,
           round(avg(positive), 3) as avg_positive,
           round(avg(negative), 3) as avg_negative,
           sum(word_count) as words
    from stg_articles
    group by all
)
select * from final
