-- Where an article's parts came from (issue 16): real inputs are feeds, API responses and
-- crawls, and analysts must be able to filter teasers and guessed dates out.
--   authors          bylines joined by '; '
--   body_is_summary  the source gave only a teaser (an RSS summary, an API abstract)
--   date_source      metadata | htmldate | url | feed | json | text | warc | none
--   extraction_mode  precision | recall (trafilatura's settings) | fragment (HTML in a feed
--                    or JSON field) | plain (text as given)
-- NULL in rows loaded before this migration.
ALTER TABLE articles ADD COLUMN authors VARCHAR;
ALTER TABLE articles ADD COLUMN body_is_summary BOOLEAN;
ALTER TABLE articles ADD COLUMN date_source VARCHAR;
ALTER TABLE articles ADD COLUMN extraction_mode VARCHAR;
