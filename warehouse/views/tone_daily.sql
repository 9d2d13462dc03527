-- Document tone over time, per source.
CREATE OR REPLACE VIEW tone_daily AS
with final as (
    select coalesce(published_at, cast(ingested_at as date)) as day, source,
           count(*) as articles,
           round(avg(tone), 3) as avg_tone,
           round(avg(positive), 3) as avg_positive,
           round(avg(negative), 3) as avg_negative,
           sum(word_count) as words
    from articles
    group by all
)
select * from final;
