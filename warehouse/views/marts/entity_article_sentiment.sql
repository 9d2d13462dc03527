-- Sentiment of each article toward each entity it names (docs/sentiment.md, "Article-level
-- sentiment toward an entity"). One score per sentence naming the entity (its first mention
-- there), averaged over the article; the class uses the document thresholds chosen on
-- NewsMTSC train: model (-0.325, 0.175), lexicon (0.0, 0.3), kept equal to
-- presswatch.sentiment.score.document_thresholds by tests/presswatch/sentiment/test_score.py.
-- Approximation: sentences that refer to a person only by a pronoun are not in `mentions`;
-- presswatch.sentiment.score.entity_document_sentiment adds them.
-- The per-article figures come from agg_entity_article (kept at load, warehouse/aggregates.py):
-- sentiment_count is the scored mentions, score the mean over their sentences.
-- Issue 15: `sentiment` is the stance stored at load (entity_stance: the article-level model
-- fitted on PerSenT dev, docs/sentiment.md); the thresholds below only class rows loaded before
-- migration 017, which have no stance. stance_score is that model's P(positive) - P(negative).
with per_article as (
    select article_id, entity_id, day,
           cast(sentiment_count as hugeint) as mentions,
           sentences, score, sentiment_method
    from agg_entity_article
    where sentences > 0
),
final as (
    select p.article_id, p.entity_id, e.name, e.label,
           p.day,
           p.mentions, p.sentences,
           round(p.score, 4) as avg_sentiment,
           coalesce(st.stance, case
               when p.score < (case when p.sentiment_method = 'model' then -0.325 else 0.0 end) then 'negative'
               when p.score > (case when p.sentiment_method = 'model' then 0.175 else 0.3 end) then 'positive'
               else 'neutral'
           end) as sentiment,
           round(st.score, 4) as stance_score,
           p.sentiment_method
    from per_article p
    join entities e using (entity_id)
    left join entity_stance st using (article_id, entity_id)
)
select * from final
