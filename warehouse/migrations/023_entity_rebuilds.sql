-- Issue 13: each re-resolution of the archive's entities (`presswatch entities rebuild`, or the
-- end of a run that grew the archive a lot: warehouse/entities.py `refresh_entities`). The entity
-- count it saw tells the next run whether the archive has grown enough since to re-resolve, and
-- an analyst sees when the aliases were last decided.
CREATE TABLE entity_rebuilds (
    rebuilt_at  TIMESTAMP NOT NULL,
    trigger     VARCHAR NOT NULL,  -- command | run
    entities    BIGINT NOT NULL,   -- rows of `entities` the rebuild resolved
    aliases     BIGINT NOT NULL    -- rows of `entity_aliases` it left
);
