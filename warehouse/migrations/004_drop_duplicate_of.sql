-- articles.duplicate_of was never filled: a duplicate file gets no article row, only a ledger
-- row (status 'duplicate', article_id = the article it repeats). The view `duplicates` gives
-- that relation; articles.previous_version links new versions of a file.
ALTER TABLE articles DROP COLUMN duplicate_of;
