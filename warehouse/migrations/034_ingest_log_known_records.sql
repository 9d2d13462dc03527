-- Every record of a file accounted for: known_records counts the records whose article the
-- warehouse already held (from another file, an earlier run, or an earlier file of the same batch).
-- Before it, a JSON dump repeating 2 stored articles beside 1 new one read "loaded, article_count 1,
-- records_found 3, duplicate_records 0": two records nowhere. NULL for rows written before.
ALTER TABLE ingest_log ADD COLUMN known_records INTEGER;
