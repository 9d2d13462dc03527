-- Cross-document entity resolution (issue 13, docs/entities.md). A raw entity_id is
-- sha256(label|name) and keeps that meaning forever; these tables record which raw ids are one
-- real-world entity. Analysts and views join through the entity_canonical view.

-- Each raw id that is another entity: alias_id -> canonical_id (itself a sha256(label|name), so
-- a saved query with either id keeps working). `key` is the name key the rules compared, so the
-- load can join a new spelling with the same key without re-reading the archive.
CREATE TABLE entity_aliases (
    alias_id     VARCHAR PRIMARY KEY,
    canonical_id VARCHAR NOT NULL,
    key          VARCHAR,
    reason       VARCHAR NOT NULL,  -- same name | label vote | initial | surname | first name | watchlist | load
    decided_at   TIMESTAMP NOT NULL
);

-- The canonical entities that have aliases: their name and voted label (a canonical id need not
-- be a row of `entities`: `Yukos` voted ORG when every raw row said PERSON), Wikidata id when the
-- watchlist gives one.
CREATE TABLE entity_canonicals (
    canonical_id VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    label        VARCHAR NOT NULL,
    key          VARCHAR,
    wikidata     VARCHAR,
    watchlist    BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX entity_canonicals_key ON entity_canonicals (key);

-- Related, not the same: a NORP kept as its own row with a link to its country (`British` ->
-- United Kingdom).
CREATE TABLE entity_links (
    entity_id  VARCHAR NOT NULL,
    related_id VARCHAR NOT NULL,
    relation   VARCHAR NOT NULL,
    PRIMARY KEY (entity_id, relation)
);
