-- The warehouse contract (docs: ../shared/design.md). Analysts' SQL depends on these names.
-- Every start_char/end_char is a character offset into articles.body, end exclusive.

CREATE TABLE articles (
    article_id          VARCHAR PRIMARY KEY,   -- sha256 of the normalized body, 16 hex digits
    title               VARCHAR,
    published_at        DATE,
    source              VARCHAR,
    language            VARCHAR,
    url                 VARCHAR,
    body                VARCHAR NOT NULL,
    word_count          INTEGER,
    tone                DOUBLE,                -- GDELT: positive - negative
    positive            DOUBLE,
    negative            DOUBLE,
    polarity            DOUBLE,
    activity            DOUBLE,
    self_group          DOUBLE,
    sentiment_method    VARCHAR,
    repeated_paragraphs INTEGER,
    duplicate_of        VARCHAR,               -- earlier version from the same source_path
    source_path         VARCHAR,
    file_sha256         VARCHAR,
    record_idx          INTEGER,               -- position in a multi-article file (JSON Lines)
    flow_run_id         VARCHAR,
    ingested_at         TIMESTAMP,
    pipeline_version    VARCHAR
);

CREATE TABLE entities (
    entity_id VARCHAR PRIMARY KEY,             -- sha256 of label|name, 16 hex digits
    name      VARCHAR NOT NULL,
    label     VARCHAR NOT NULL
);

CREATE TABLE mentions (
    article_id       VARCHAR NOT NULL,
    entity_id        VARCHAR NOT NULL,
    surface          VARCHAR,
    label            VARCHAR,                  -- label of the entity (decided across its mentions)
    ner_label        VARCHAR,                  -- label the model gave this one mention
    sentence_idx     INTEGER,
    start_char       INTEGER,
    end_char         INTEGER,
    sentiment        DOUBLE,
    sentiment_method VARCHAR
);

CREATE TABLE quotes (
    article_id        VARCHAR NOT NULL,
    quote_idx         INTEGER NOT NULL,
    kind              VARCHAR,                 -- direct | indirect
    text              VARCHAR,
    speaker           VARCHAR,
    speaker_entity_id VARCHAR,
    verb              VARCHAR,
    start_char        INTEGER,
    end_char          INTEGER,
    sentiment         DOUBLE,
    sentiment_method  VARCHAR
);

CREATE TABLE amounts (
    article_id  VARCHAR NOT NULL,
    amount_idx  INTEGER,
    value       DOUBLE,
    qualifier   VARCHAR,
    object      VARCHAR,
    surface     VARCHAR,
    start_char  INTEGER,
    end_char    INTEGER
);

CREATE TABLE sentences (
    article_id       VARCHAR NOT NULL,
    sentence_idx     INTEGER NOT NULL,
    start_char       INTEGER,
    end_char         INTEGER,
    sentiment        DOUBLE,
    sentiment_method VARCHAR
);

CREATE TABLE date_mentions (
    article_id VARCHAR NOT NULL,
    surface    VARCHAR,
    resolved   DATE,
    start_char INTEGER,
    end_char   INTEGER
);

CREATE TABLE article_themes (
    article_id VARCHAR NOT NULL,
    theme      VARCHAR,
    hits       INTEGER,
    score      DOUBLE                          -- hits per 1,000 words
);

-- The ledger: one row per file content (sha256) per path it was seen at.
CREATE TABLE ingest_log (
    file_sha256   VARCHAR NOT NULL,
    source_path   VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,            -- loaded | duplicate | quarantined
    error         VARCHAR,                     -- why quarantined, or non-fatal problems
    article_id    VARCHAR,                     -- the article (the first one for multi-article files)
    article_count INTEGER,
    file_size     BIGINT,
    flow_run_id   VARCHAR,
    seen_at       TIMESTAMP,
    PRIMARY KEY (file_sha256, source_path)
);

CREATE TABLE pipeline_runs (
    flow_run_id       VARCHAR PRIMARY KEY,
    flow_name         VARCHAR,
    started_at        TIMESTAMP,
    finished_at       TIMESTAMP,
    files_seen        INTEGER,
    files_skipped     INTEGER,                 -- content already in the ledger
    files_loaded      INTEGER,
    files_duplicate   INTEGER,
    files_quarantined INTEGER,
    articles_loaded   INTEGER,
    pipeline_version  VARCHAR
);
