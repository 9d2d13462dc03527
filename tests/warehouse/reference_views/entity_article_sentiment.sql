-- Sentiment of each article toward each entity it names (docs/sentiment.md, "Article-level
-- sentiment toward an entity"). One score per sentence naming the entity (its first mention
-- there), averaged over the article; the class uses the document thresholds chosen on
-- NewsMTSC train: model (-0.325, 0.175), lexicon (0.0, 0.3), kept equal to
-- presswatch.sentiment.score.document_thresholds by tests/presswatch/sentiment/test_score.py.
-- Approximation: sentences that refer to a person only by a pronoun are not in `mentions`;
-- presswatch.sentiment.score.entity_document_sentiment adds them.
-- Issue 15 (as the view since): the class is the stance stored at load when there is one.
with per_sentence as (
    select article_id, entity_id, sentence_idx,
           arg_min(sentiment, start_char) as sentiment,
           any_value(sentiment_method) as sentiment_method,
           count(*) as mentions
    from mentions
    where sentiment is not null
    group by all
),
per_article as (
    select article_id, entity_id,
           sum(mentions) as mentions,
           count(*) as sentences,
           avg(sentiment) as score,
           any_value(sentiment_method) as sentiment_method
    from per_sentence
    group by all
),
final as (
    select p.article_id, p.entity_id, e.name, e.label,
           a.day,
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
    join stg_articles a using (article_id)
    left join entity_stance st using (article_id, entity_id)
)
select * from final
