-- Alerts (issue 17): every spike or saved-search match that became a Prefect event, one row
-- per alert_key, so nothing is ever emitted twice. A row is written pending (emitted_at NULL)
-- in the same transaction that decides it, then marked once the event is handed to Prefect;
-- a pending row left by a crash is emitted by the next run with its stored event_id, which the
-- Prefect server stores once.
--   alert_key   'spike:<entity_id>:<day>' or 'match:<search_name>:<article_id>'
--   payload     the event's payload as JSON (entity, figures, links); names are web text
CREATE TABLE alerts (
    alert_key   VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,              -- spike | match
    event       VARCHAR NOT NULL,              -- presswatch.alert.spike | presswatch.alert.match
    event_id    UUID NOT NULL,                 -- the Prefect event's id, drawn once (uuid4)
    entity_id   VARCHAR,                       -- spike: the entity
    day         DATE,                          -- spike: the article day that spiked
    search_name VARCHAR,                       -- match: the saved search
    article_id  VARCHAR,                       -- match: the article it matched
    payload     JSON NOT NULL,
    flow_run_id VARCHAR,                       -- the ingest run that raised it
    created_at  TIMESTAMP NOT NULL,            -- UTC
    emitted_at  TIMESTAMP,                     -- UTC; NULL while pending
    CHECK (kind IN ('spike', 'match'))
);
