-- Issue 15: every stored sentiment score gets its class (negative | neutral | positive),
-- decided by the method's own rule in Python (docs/sentiment.md), so SQL needs no threshold.
ALTER TABLE mentions ADD COLUMN sentiment_label VARCHAR;
ALTER TABLE quotes ADD COLUMN sentiment_label VARCHAR;
ALTER TABLE sentences ADD COLUMN sentiment_label VARCHAR;

-- References to an entity that are not named mentions: roles linked to a named entity ("the
-- president"), resolved pronouns, lower-case/possessive forms and groups. Kept out of `mentions`
-- so that entity counts and every aggregate over `mentions` keep their meaning.
CREATE TABLE mention_refs (
    article_id       VARCHAR NOT NULL,
    entity_id        VARCHAR NOT NULL,
    kind             VARCHAR,                  -- role | pronoun | group | lower
    surface          VARCHAR,
    sentence_idx     INTEGER,
    start_char       INTEGER,
    end_char         INTEGER,
    sentiment        DOUBLE,
    sentiment_label  VARCHAR,
    sentiment_method VARCHAR
);

-- An article's stance toward each entity it names: the fitted article-level model
-- (presswatch/sentiment/stance.py, fitted on PerSenT dev), computed in the NLP worker.
CREATE TABLE entity_stance (
    article_id       VARCHAR NOT NULL,
    entity_id        VARCHAR NOT NULL,
    score            DOUBLE,                   -- P(positive) - P(negative) of the stance model
    stance           VARCHAR,                  -- negative | neutral | positive (argmax)
    sentences        INTEGER,                  -- sentences that refer to the entity (named + pronoun)
    sentiment_method VARCHAR                   -- the sentence method under it
);
