-- Issue 18: article_stories gets an index on story_id. Each load recomputes the stories its batch
-- touched (warehouse/stories.py `_refresh`, warehouse/story_aggregates.py `refresh_stories`) from
-- their members' rows; with no day to bound a story's members by, both read every row's story id
-- (1M rows at 1M articles, ~80 ms of each watch-mode load). They now look the stories up here.
-- article_stories is only ever appended (a merge is a story_merges row), so the index never
-- meets a delete.
CREATE INDEX IF NOT EXISTS article_stories_story_id ON article_stories (story_id);
