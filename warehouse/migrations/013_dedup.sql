-- Near-duplicates, wire copy and stories (issue 19; docs/dedup.md). Filled by
-- warehouse/dedup.py inside each batch's load transaction; the analyst-facing relation is the
-- view article_copies (copy_of, is_copy, has_copies, similarity, wire_agency, story_id).
--
-- article_signatures: per article, its MinHash signature under a named scheme (stored so the
-- bands can be rebuilt without re-reading bodies) and the wire credit found in its text.
CREATE TABLE article_signatures (
    article_id   VARCHAR PRIMARY KEY,
    scheme       VARCHAR NOT NULL,             -- presswatch.dedup.minhash.SCHEME.version
    shingles     INTEGER NOT NULL,             -- distinct word shingles of the body
    signature    UINTEGER[],                   -- NULL when too short for near-duplicate search
    wire_agency  VARCHAR,                      -- the agency its own text or byline credits
    wire_where   VARCHAR,                      -- lead | byline | source | tail
    wire_credit  VARCHAR                       -- the credit as written
);
-- The LSH index: one row per (band, article); articles sharing a band_key are candidates.
CREATE TABLE minhash_bands (
    band_key   BIGINT NOT NULL,
    article_id VARCHAR NOT NULL,
    day        DATE NOT NULL,                  -- the article's day (stg_articles.day)
    scheme     VARCHAR NOT NULL
);
-- Confirmed near-duplicate pairs, each once (article_id < other_id): who copies whom is
-- decided by the view article_copies (the earlier article is the original).
CREATE TABLE near_duplicates (
    article_id  VARCHAR NOT NULL,
    other_id    VARCHAR NOT NULL,
    jaccard     DOUBLE NOT NULL,
    containment DOUBLE NOT NULL,               -- shared shingles / shingles of the shorter
    PRIMARY KEY (article_id, other_id)
);
-- Stories: ids never change. A merged story keeps its row (merged_into set) and its id keeps
-- resolving through story_merges.
CREATE TABLE stories (
    story_id      VARCHAR PRIMARY KEY,         -- 's' + its first article's id
    first_seen    DATE,
    last_seen     DATE,
    article_count INTEGER,
    outlets       INTEGER,                     -- distinct sources
    title         VARCHAR,                     -- the representative title (its first article's)
    top_entities  VARCHAR[],                   -- entity ids, most mentioned first
    merged_into   VARCHAR,
    updated_at    TIMESTAMP
);
CREATE TABLE story_merges (
    story_id    VARCHAR PRIMARY KEY,
    merged_into VARCHAR NOT NULL,
    merged_at   TIMESTAMP NOT NULL
);
-- Each article's story as assigned at load (follow story_merges for the current one).
CREATE TABLE article_stories (
    article_id VARCHAR PRIMARY KEY,
    story_id   VARCHAR NOT NULL,
    day        DATE NOT NULL,
    ordinal    VARCHAR NOT NULL                -- the order key: day, arrival, id (for first_seen ties)
);
-- The terms (title/lead words, entity ids; presswatch/dedup/stories.py) stories are found by.
CREATE TABLE story_terms (
    term       BIGINT NOT NULL,
    article_id VARCHAR NOT NULL,
    day        DATE NOT NULL
);
