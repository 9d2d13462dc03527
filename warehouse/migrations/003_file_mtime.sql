-- The file's modification time (ns) next to its size: discovery trusts the recorded hash of a
-- file whose (source_path, file_size, file_mtime_ns) is unchanged instead of re-reading it,
-- so a rerun over a large unchanged folder costs a stat per file, not a sha256 per file.
-- NULL for rows written before this migration (those files are hashed as before).
ALTER TABLE ingest_log ADD COLUMN file_mtime_ns BIGINT;
