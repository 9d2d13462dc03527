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
-- Issue 18: agg_entity_article holds the entity's name and label and the stance too (migration
-- 030), so this view joins nothing: joined to `entities` and `entity_stance`, a count or a top 20
-- built a hash table of every stance row first (0.8 s at 100k articles). A row without a name
-- (its entity missing from `entities`) is left out, as that join left it out.
with per_article as (
    select article_id, entity_id, name, label, day,
           cast(sentiment_count as hugeint) as mentions,
           sentences, score, sentiment_method, stance, stance_score
    from agg_entity_article
    where sentences > 0 and name is not null
),
final as (
    select article_id, entity_id, name, label,
           day,
           mentions, sentences,
           round(score, 4) as avg_sentiment,
           coalesce(stance, case
               when score < (case when sentiment_method = 'model' then -0.325 else 0.0 end) then 'negative'
               when score > (case when sentiment_method = 'model' then 0.175 else 0.3 end) then 'positive'
               else 'neutral'
           end) as sentiment,
           round(stance_score, 4) as stance_score,
           sentiment_method
    from per_article
)
select * from final
