-- What a file held, next to what it gave: article_count counts distinct articles loaded,
-- duplicate_records the records repeating an earlier record of the same file, records_found
-- every record the reader found (bad ones included). NULL for rows written before.
ALTER TABLE ingest_log ADD COLUMN duplicate_records INTEGER;
ALTER TABLE ingest_log ADD COLUMN records_found INTEGER;
