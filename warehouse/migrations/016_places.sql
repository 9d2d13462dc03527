-- Places on the map (issue 13, docs/places.md): each GPE/LOC/FAC entity resolved offline to a
-- GeoNames record. One row per raw entity id: the reading most of its articles chose (each
-- article resolves its ambiguous names by its other places and its focus country).
CREATE TABLE places (
    entity_id    VARCHAR PRIMARY KEY,
    geonames_id  BIGINT NOT NULL,
    place_name   VARCHAR NOT NULL,   -- the GeoNames name ("New York City" for "New York")
    latitude     DOUBLE NOT NULL,
    longitude    DOUBLE NOT NULL,
    country_code VARCHAR,            -- ISO 3166 alpha-2; null for a continent
    feature      VARCHAR NOT NULL,   -- country | admin1 | continent | city
    articles     INTEGER NOT NULL,   -- articles whose resolution was counted
    agreement    DOUBLE NOT NULL     -- share of those articles that chose this reading
);

-- The country each article is mostly about (CLIFF's focus): the most-mentioned country among its
-- sure place names; no row when the article names no place that resolves.
CREATE TABLE article_focus (
    article_id   VARCHAR PRIMARY KEY,
    country_code VARCHAR NOT NULL
);

-- Each article's own reading of its place names ("Birmingham" is in Alabama in an article about
-- Alabama even when the entity's row says England): what mentions_by_country_daily counts.
CREATE TABLE article_places (
    article_id   VARCHAR NOT NULL,
    entity_id    VARCHAR NOT NULL,
    geonames_id  BIGINT NOT NULL,
    country_code VARCHAR,
    PRIMARY KEY (article_id, entity_id)
);
