-- Issue 18, eighth pass: mentions_by_country_daily's rows kept in a table (one per country and
-- article day), so the view is a scan. The view grouped every placed (article, entity) row at
-- each query: agg_entity_article (17M rows at 1M articles) joined to article_places, 1.2-2.0 s
-- for a count or a top 20. Distinct counts do not add up, so a load recomputes the days of its
-- articles whole, and rebuilding the places rebuilds the table (warehouse/country_aggregates.py).
CREATE TABLE agg_country_day (
    country_code VARCHAR NOT NULL,
    day          DATE,
    mentions     BIGINT NOT NULL,
    articles     BIGINT NOT NULL,
    places       BIGINT NOT NULL
);

-- Backfill: the view as it was, in day order (a day filter skips row groups by zone map).
INSERT INTO agg_country_day
SELECT p.country_code, ea.day,
       cast(sum(ea.mentions) AS BIGINT) AS mentions,
       count(DISTINCT ea.article_id) AS articles,
       count(DISTINCT ea.entity_id) AS places
FROM agg_entity_article ea
JOIN (SELECT article_id, entity_id, country_code FROM article_places WHERE country_code IS NOT NULL) p
    USING (article_id, entity_id)
GROUP BY ALL
ORDER BY ea.day, p.country_code;
