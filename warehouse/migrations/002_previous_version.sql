-- A file replaced by a new version (same source_path, new content hash) loads as a new
-- article; the old one stays. previous_version links the new article to the article last
-- loaded from the same source_path and record_idx (NULL for a first version). Filled by
-- warehouse/load.py inside the load transaction.
ALTER TABLE articles ADD COLUMN previous_version VARCHAR;
