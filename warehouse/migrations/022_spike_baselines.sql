-- Issue 18, third pass: each candidate spike day's 14-day baseline, kept at load by
-- warehouse/aggregates.py (and rebuilt, checked there), so `spikes` reads a small table instead
-- of looking up 15 days of agg_entity_day for every candidate of the archive (1 s at 100k).
-- One row per (entity, day) with >= 3 articles that day: the view's candidates. A day's count
-- only grows (an article is loaded once), so a row never stops being a candidate. A load
-- recomputes the rows whose day, or one of the 14 days before it, the batch added to.
--   articles, mentions   the day's, as agg_entity_day holds them
--   sum14, sumsq14       the sums of the articles a day and of their squares over day-14..day-1
--   previous_day         articles on day-1; same_weekday: on day-7 (0 without a row)
CREATE TABLE agg_spike_baseline (
    entity_id    VARCHAR NOT NULL,
    day          DATE NOT NULL,
    articles     BIGINT NOT NULL,
    mentions     BIGINT NOT NULL,
    sum14        BIGINT NOT NULL,
    sumsq14      BIGINT NOT NULL,
    previous_day BIGINT NOT NULL,
    same_weekday BIGINT NOT NULL
);

-- Backfill (the same SQL as warehouse/aggregates.py at the time of writing; a migration stays
-- as it was applied), in day order so a day filter skips by zone map. agg_entity_day is summed
-- by key first: a warehouse whose rebuild died before its keys came back holds split rows.
INSERT INTO agg_spike_baseline
WITH entity_days AS (
    SELECT entity_id, day, sum(articles)::BIGINT AS articles, sum(mentions)::BIGINT AS mentions
    FROM agg_entity_day GROUP BY entity_id, day
)
SELECT c.entity_id, c.day, c.articles, c.mentions,
       coalesce(sum(h.articles) FILTER (WHERE back.k > 0), 0)::BIGINT AS sum14,
       coalesce(sum(h.articles * h.articles) FILTER (WHERE back.k > 0), 0)::BIGINT AS sumsq14,
       coalesce(sum(h.articles) FILTER (WHERE back.k = 1), 0)::BIGINT AS previous_day,
       coalesce(sum(h.articles) FILTER (WHERE back.k = 7), 0)::BIGINT AS same_weekday
FROM (SELECT entity_id, day, articles, mentions FROM entity_days WHERE articles >= 3 AND day IS NOT NULL) c
CROSS JOIN range(0, 15) back(k)
JOIN entity_days h ON h.entity_id = c.entity_id AND h.day = c.day - CAST(back.k AS INTEGER)
GROUP BY c.entity_id, c.day, c.articles, c.mentions
ORDER BY c.day;

CREATE UNIQUE INDEX agg_spike_baseline_key ON agg_spike_baseline (entity_id, day);
