-- Issue 18: quotes get an index on article_id. The spike explanation lists a watch-mode load
-- recomputes read the quotes of a few hundred articles; quotes has no day column to skip by, so
-- that semi-join read every quote's article id (7.8M rows at 1M articles, ~0.2 s of each load).
-- The load now looks the articles up here (warehouse.aggregates._quotes_at_hand). Quotes are only
-- ever appended, so the index never meets a delete.
CREATE INDEX IF NOT EXISTS quotes_article_id ON quotes (article_id);
