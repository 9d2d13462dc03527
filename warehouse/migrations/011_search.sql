-- Search (issue 17). The full-text index itself (schema fts_main_articles) is built by
-- warehouse/search.py with DuckDB's fts extension, not here: migrations run without it.

-- Saved searches' matches, each inserted once: the first run that matched it. A contract:
-- the alerts step reads it to emit presswatch.alert.match events.
CREATE TABLE search_hits (
    search_name VARCHAR NOT NULL,              -- the [[search]] name in searches.toml
    article_id  VARCHAR NOT NULL,
    score       DOUBLE,                        -- BM25 when matched (0: no ranked words)
    matched_at  TIMESTAMP,
    flow_run_id VARCHAR,                       -- the ingest run whose search step matched it
    PRIMARY KEY (search_name, article_id)
);

-- How far each saved search has looked: a changed query (or since) looks at everything again,
-- an unchanged one only at articles ingested after checked_through.
CREATE TABLE search_state (
    search_name     VARCHAR PRIMARY KEY,
    query           VARCHAR NOT NULL,
    since           DATE,
    checked_through TIMESTAMP,                 -- max(articles.ingested_at) when last run
    checked_at      TIMESTAMP
);

-- The index's last build: rebuilt only when the articles changed since (a full rebuild).
CREATE TABLE search_index (
    built_at         TIMESTAMP,
    articles         BIGINT,
    last_ingested_at TIMESTAMP,
    seconds          DOUBLE
);
