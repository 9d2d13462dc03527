-- Aggregates kept at load (issue 18): small tables the analyst views, the digest and the run
-- report read instead of grouping every mention of the archive. warehouse/aggregates.py adds
-- each batch's rows inside the load transaction and rebuilds them from the base tables
-- (`presswatch aggregates rebuild`); checks/aggregates_match_base_tables.sql compares.
-- An article is loaded once with all its mentions, so per-article rows are only ever added.

-- One row per (article, entity): what the views need of the entity's mentions there.
--   day, ingest_day   stg_articles.day and .ingest_day of the article (filters skip by zone map)
--   mentions          all mentions; sentiment_sum / sentiment_count over those with a sentiment
--   sentences, score  entity_article_sentiment: sentences with a scored mention, and the mean
--                     of each such sentence's first mention's sentiment (NULL without one)
CREATE TABLE agg_entity_article (
    article_id       VARCHAR NOT NULL,
    entity_id        VARCHAR NOT NULL,
    day              DATE,
    ingest_day       DATE,
    mentions         BIGINT NOT NULL,
    sentiment_sum    DOUBLE,
    sentiment_count  BIGINT NOT NULL,
    sentences        BIGINT NOT NULL,
    score            DOUBLE,
    sentiment_method VARCHAR
);

-- Per (entity, article day), kept by upsert on its unique index (made after the backfill),
-- so entity_mentions_daily is a join without a group.
CREATE TABLE agg_entity_day (
    entity_id       VARCHAR NOT NULL,
    day             DATE,
    mentions        BIGINT NOT NULL,
    articles        BIGINT NOT NULL,
    sentiment_sum   DOUBLE,
    sentiment_count BIGINT NOT NULL
);

-- Per entity, all time, with its name and label (the run report's top entities: a scan, no join).
CREATE TABLE agg_entity (
    entity_id       VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    label           VARCHAR NOT NULL,
    mentions        BIGINT NOT NULL,
    articles        BIGINT NOT NULL,
    sentiment_sum   DOUBLE,
    sentiment_count BIGINT NOT NULL
);

-- Entity pairs named in the same article (entity_a < entity_b), with how many articles: the
-- cooccurrence view, exactly, names included (entities never change), so the view is a scan
-- with no join. Kept by upsert on its unique index (made after the backfill below: one bulk
-- build instead of millions of inserts into it; a rebuild does the same).
CREATE TABLE agg_cooccurrence (
    entity_a VARCHAR NOT NULL,
    name_a   VARCHAR NOT NULL,
    label_a  VARCHAR NOT NULL,
    entity_b VARCHAR NOT NULL,
    name_b   VARCHAR NOT NULL,
    label_b  VARCHAR NOT NULL,
    articles BIGINT NOT NULL
);

-- Discovery looks up the ledger rows of the files at hand by path (warehouse/ledger.py): an
-- index keeps that a lookup, not a pass over a year of ledger rows.
CREATE INDEX ingest_log_source_path ON ingest_log (source_path);

-- Backfill for a warehouse loaded before this migration (the same SQL as
-- warehouse/aggregates.py at the time of writing; a migration stays as it was applied).
INSERT INTO agg_entity_article
WITH src_articles AS (
    SELECT article_id, coalesce(published_at, cast(ingested_at AS DATE)) AS day,
           cast(ingested_at AS DATE) AS ingest_day
    FROM articles
),
per_sentence AS (
    SELECT article_id, entity_id, sentence_idx,
           arg_min(sentiment, start_char) AS sentiment,
           any_value(sentiment_method) AS sentiment_method
    FROM mentions
    WHERE sentiment IS NOT NULL
    GROUP BY ALL
),
scored AS (
    SELECT article_id, entity_id, count(*) AS sentences, avg(sentiment) AS score,
           any_value(sentiment_method) AS sentiment_method
    FROM per_sentence
    GROUP BY ALL
),
counted AS (
    SELECT article_id, entity_id, count(*) AS mentions, sum(sentiment) AS sentiment_sum,
           count(sentiment) AS sentiment_count
    FROM mentions
    GROUP BY ALL
)
SELECT c.article_id, c.entity_id, a.day, a.ingest_day, c.mentions, c.sentiment_sum, c.sentiment_count,
       coalesce(s.sentences, 0), s.score, s.sentiment_method
FROM counted c
JOIN src_articles a USING (article_id)
LEFT JOIN scored s USING (article_id, entity_id)
ORDER BY a.ingest_day, a.day;

INSERT INTO agg_entity_day
SELECT entity_id, day, sum(mentions), count(*), sum(sentiment_sum), sum(sentiment_count)
FROM agg_entity_article
GROUP BY entity_id, day
ORDER BY day;

INSERT INTO agg_entity
SELECT a.entity_id, e.name, e.label, sum(a.mentions), count(*), sum(a.sentiment_sum), sum(a.sentiment_count)
FROM agg_entity_article a
JOIN entities e USING (entity_id)
GROUP BY a.entity_id, e.name, e.label;

INSERT INTO agg_cooccurrence
WITH pairs AS (
    SELECT a.entity_id AS entity_a, b.entity_id AS entity_b, count(*) AS articles
    FROM agg_entity_article a
    JOIN agg_entity_article b ON a.article_id = b.article_id AND a.entity_id < b.entity_id
    GROUP BY ALL
)
SELECT p.entity_a, ea.name, ea.label, p.entity_b, eb.name, eb.label, p.articles
FROM pairs p
JOIN entities ea ON ea.entity_id = p.entity_a
JOIN entities eb ON eb.entity_id = p.entity_b;

CREATE UNIQUE INDEX agg_cooccurrence_pair ON agg_cooccurrence (entity_a, entity_b);
CREATE UNIQUE INDEX agg_entity_day_key ON agg_entity_day (entity_id, day);
