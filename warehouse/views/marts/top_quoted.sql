-- Who is quoted most, by canonical speaker (the entity when resolved, pronouns and roles
-- included): every kind counts (direct, mixed, indirect), each also on its own. From
-- agg_speaker (one row per speaker, kept at load by warehouse/aggregates.py): no pass over quotes.
with speakers as (
    select * from agg_speaker
),
final as (
    select speaker_entity_id, speaker, speaker_label,
           quotes, direct_quotes, mixed_quotes, indirect_quotes, articles,
           round(sentiment_sum / nullif(sentiment_count, 0), 4) as avg_sentiment,
           first_quoted, last_quoted
    from speakers
)
select * from final order by quotes desc
