-- Issue 18, second pass: two more aggregates kept at load by warehouse/aggregates.py (and
-- rebuilt, checked there), so share_of_voice and top_quoted stop grouping the whole archive.

-- All mentions per (article day, entity label): the denominator of share_of_voice, one row per
-- key kept by upsert (a few thousand rows a year), so the view is a join, not a window over
-- every entity-day.
CREATE TABLE agg_label_day (
    day      DATE,
    label    VARCHAR NOT NULL,
    mentions BIGINT NOT NULL
);

-- Quotes per canonical speaker (top_quoted's groups), kept by upsert. speaker_key is
-- coalesce(speaker_entity_id, '') because a unique key never matches NULL; distinct articles add
-- up because an article is loaded once with all its quotes.
CREATE TABLE agg_speaker (
    speaker_key       VARCHAR NOT NULL,
    speaker           VARCHAR NOT NULL,
    speaker_entity_id VARCHAR,
    speaker_label     VARCHAR,
    quotes            BIGINT NOT NULL,
    direct_quotes     BIGINT NOT NULL,
    mixed_quotes      BIGINT NOT NULL,
    indirect_quotes   BIGINT NOT NULL,
    articles          BIGINT NOT NULL,
    sentiment_sum     DOUBLE,
    sentiment_count   BIGINT NOT NULL,
    first_quoted      DATE,
    last_quoted       DATE
);

-- entity_article_sentiment per (entity, article day): the articles scored toward the entity,
-- their scored mentions, the sum of their rounded scores (the daily view's mean) and how many
-- fall in each class. Kept by upsert; warehouse/aggregates.py classes the batch's rows with
-- the entity_article_sentiment view's own SQL, so the thresholds stay in that file.
CREATE TABLE agg_entity_sentiment_day (
    entity_id          VARCHAR NOT NULL,
    day                DATE,
    articles           BIGINT NOT NULL,
    mentions           BIGINT NOT NULL,
    score_sum          DOUBLE,
    negative_articles  BIGINT NOT NULL,
    neutral_articles   BIGINT NOT NULL,
    positive_articles  BIGINT NOT NULL
);

-- Backfill (the same SQL as warehouse/aggregates.py at the time of writing).
INSERT INTO agg_label_day
SELECT d.day, e.label, sum(d.mentions)
FROM agg_entity_day d JOIN entities e USING (entity_id)
GROUP BY ALL
ORDER BY 1, 2;

INSERT INTO agg_speaker
SELECT coalesce(q.speaker_entity_id, ''), coalesce(e.name, q.speaker), q.speaker_entity_id, e.label,
       count(*), count(*) FILTER (WHERE q.kind = 'direct'), count(*) FILTER (WHERE q.kind = 'mixed'),
       count(*) FILTER (WHERE q.kind = 'indirect'), count(DISTINCT q.article_id),
       sum(q.sentiment), count(q.sentiment), min(a.day), max(a.day)
FROM quotes q
JOIN (SELECT article_id, coalesce(published_at, cast(ingested_at AS DATE)) AS day FROM articles) a USING (article_id)
LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
WHERE q.speaker IS NOT NULL
GROUP BY q.speaker_entity_id, coalesce(e.name, q.speaker), e.label;

-- (the document thresholds as entity_article_sentiment.sql held them when this was written)
INSERT INTO agg_entity_sentiment_day
SELECT entity_id, day, count(*), sum(sentiment_count), sum(round(score, 4)),
       count(*) FILTER (WHERE score < (CASE WHEN sentiment_method = 'model' THEN -0.325 ELSE 0.0 END)),
       count(*) FILTER (WHERE NOT score < (CASE WHEN sentiment_method = 'model' THEN -0.325 ELSE 0.0 END)
                          AND NOT score > (CASE WHEN sentiment_method = 'model' THEN 0.175 ELSE 0.3 END)),
       count(*) FILTER (WHERE NOT score < (CASE WHEN sentiment_method = 'model' THEN -0.325 ELSE 0.0 END)
                          AND score > (CASE WHEN sentiment_method = 'model' THEN 0.175 ELSE 0.3 END))
FROM agg_entity_article
WHERE sentences > 0
GROUP BY entity_id, day
ORDER BY day;

CREATE UNIQUE INDEX agg_entity_sentiment_day_key ON agg_entity_sentiment_day (entity_id, day);
CREATE UNIQUE INDEX agg_label_day_key ON agg_label_day (day, label);
CREATE UNIQUE INDEX agg_speaker_key ON agg_speaker (speaker_key, speaker);
