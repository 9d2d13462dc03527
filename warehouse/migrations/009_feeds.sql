-- The feed poller's memory (presswatch feeds poll, the feeds/poll deployment).
-- feed_items: every item a poll handled, by (feed, item_key); item_key is the guid, else the
-- link, else 'sha256:' of the item's text. An item is done once 'written'; 'failed' and
-- 'skipped' items are looked at again while their feed lists them.
CREATE TABLE feed_items (
    feed          VARCHAR NOT NULL,            -- the name in feeds.toml
    item_key      VARCHAR NOT NULL,
    guid          VARCHAR,
    url           VARCHAR,
    title         VARCHAR,                     -- as the feed gave it: untrusted text
    first_seen_at TIMESTAMP NOT NULL,          -- UTC
    last_seen_at  TIMESTAMP NOT NULL,          -- the last poll whose document listed it
    status        VARCHAR NOT NULL,            -- written | failed | skipped
    drop_path     VARCHAR,                     -- the JSON article file in the drop folder
    page_path     VARCHAR,                     -- the linked page's HTML (fetch_pages feeds)
    error         VARCHAR,                     -- why failed or skipped
    attempts      INTEGER NOT NULL,            -- polls that tried to write it
    PRIMARY KEY (feed, item_key),
    CHECK (status IN ('written', 'failed', 'skipped'))
);

-- feed_state: one row per feed, what the next poll needs (validators for a conditional GET)
-- and what an operator wants to see (how the last poll went, failures in a row).
CREATE TABLE feed_state (
    feed                 VARCHAR PRIMARY KEY,
    url                  VARCHAR NOT NULL,     -- the validators below belong to this URL
    etag                 VARCHAR,
    last_modified        VARCHAR,              -- the server's Last-Modified, sent back verbatim
    last_polled_at       TIMESTAMP NOT NULL,   -- UTC
    last_status          VARCHAR NOT NULL,     -- ok | not-modified | failed
    http_status          INTEGER,
    consecutive_failures INTEGER NOT NULL,
    last_error           VARCHAR,
    CHECK (last_status IN ('ok', 'not-modified', 'failed'))
);
