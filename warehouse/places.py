"""The places, article_places and article_focus tables (migration 016, docs/places.md): GPE/LOC/FAC
entities on the map. Each article resolves its own place names (presswatch.geo.resolve: its
article_places rows and focus country); an entity's `places` row is the reading most of its
articles chose. Kept at load for the new articles and entities (`update_places`);
`rebuild_places` recomputes the three tables from the whole archive, idempotent."""

from __future__ import annotations

from collections import Counter, defaultdict

import duckdb
import polars as pl

from presswatch.geo.gazetteer import Place
from presswatch.geo.resolve import PLACE_LABELS, resolve_article
from presswatch.load import Frames
from warehouse.country_aggregates import rebuild_country_aggregates
from warehouse.db import rollback
from warehouse.frames import query_frame

_LABELS = ", ".join(f"'{label}'" for label in sorted(PLACE_LABELS))
# (article_id, entity_id, name, mentions, is FAC) of every place entity in a set of articles, by
# the label the entities rebuild voted (entity_canonicals) where there is one.
_NAMES = f"""
SELECT m.article_id, m.entity_id, e.name, count(*) AS n, any_value(coalesce(c.label, e.label)) = 'FAC' AS facility
FROM {{mentions}} m JOIN {{entities}} e USING (entity_id)
LEFT JOIN entity_aliases a ON a.alias_id = e.entity_id
LEFT JOIN entity_canonicals c ON c.canonical_id = a.canonical_id
WHERE coalesce(c.label, e.label) IN ({_LABELS})  -- the archive's voted label (issue 13): `BT` is no place
GROUP BY ALL
ORDER BY m.article_id, e.name
"""
_PLACE_SCHEMA = {
    "entity_id": pl.String, "geonames_id": pl.Int64, "place_name": pl.String, "latitude": pl.Float64,
    "longitude": pl.Float64, "country_code": pl.String, "feature": pl.String, "articles": pl.Int32,
    "agreement": pl.Float64,
}
_FOCUS_SCHEMA = {"article_id": pl.String, "country_code": pl.String}
_ARTICLE_SCHEMA = {"article_id": pl.String, "entity_id": pl.String, "geonames_id": pl.Int64,
                   "country_code": pl.String}


def resolve_rows(rows: list[tuple[str, str, str, int, bool]]) -> dict[str, pl.DataFrame]:
    """(article_id, entity_id, name, mentions, is FAC) rows -> places, article_focus, article_places."""
    by_article: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    facilities: dict[str, set[str]] = defaultdict(set)
    for aid, eid, name, n, facility in rows:
        by_article[aid].append((eid, name, n))
        if facility:
            facilities[aid].add(name)
    chosen: dict[str, Counter] = defaultdict(Counter)
    places: dict[int, Place] = {}
    focus, per_article = [], []
    for aid, names in by_article.items():
        counts: Counter = Counter()
        for _, name, n in names:
            counts[name] += n
        result = resolve_article(dict(counts), facilities=frozenset(facilities.get(aid, ())))
        if result.focus_country:
            focus.append({"article_id": aid, "country_code": result.focus_country})
        for eid, name, _ in names:
            if (place := result.places.get(name)) is not None:
                chosen[eid][place.geonames_id] += 1
                places[place.geonames_id] = place
                per_article.append({"article_id": aid, "entity_id": eid, "geonames_id": place.geonames_id,
                                    "country_code": place.country_code})
    out = []
    for eid, votes in chosen.items():
        gid, n = max(votes.items(), key=lambda kv: (kv[1], -kv[0]))
        p = places[gid]
        total = sum(votes.values())
        out.append({"entity_id": eid, "geonames_id": gid, "place_name": p.name, "latitude": p.lat,
                    "longitude": p.lon, "country_code": p.country_code, "feature": p.feature,
                    "articles": total, "agreement": round(n / total, 4)})
    return {"places": pl.DataFrame(out, schema=_PLACE_SCHEMA, orient="row"),
            "article_focus": pl.DataFrame(focus, schema=_FOCUS_SCHEMA, orient="row"),
            "article_places": pl.DataFrame(per_article, schema=_ARTICLE_SCHEMA, orient="row")}


def update_places(con: duckdb.DuckDBPyConnection, frames: Frames, keep: pl.Series) -> None:
    """Inside the load transaction: focus rows for the batch's new articles, place rows for the
    place entities not yet on the map (a published row keeps its reading; a rebuild re-votes)."""
    mentions = frames["mentions"].filter(pl.col("article_id").is_in(keep))
    if not mentions.height:
        return
    con.register("places_mentions", mentions.to_arrow())
    con.register("places_entities", frames["entities"].to_arrow())
    try:
        rows = con.execute(_NAMES.format(mentions="places_mentions", entities="places_entities")).fetchall()
    finally:
        con.unregister("places_mentions")
        con.unregister("places_entities")
    frames_out = resolve_rows(rows)
    # An anti-join, not ON CONFLICT: DuckLake has no keys (warehouse/lake.py). A place entity may
    # be on the map already; the focus and place rows are the batch's new articles' own (`keep`
    # holds only ids the articles table did not have, and these rows are written with their
    # article or by rebuild_places), so they are inserted as they are: an anti-join there read
    # every article's rows of both tables (~0.3 s a watch run at 1M articles).
    if frames_out["places"].height:
        query_frame(con, frames_out["places"], "INSERT INTO places BY NAME SELECT * FROM batch_frame b WHERE "
                                               "NOT EXISTS (SELECT 1 FROM places t WHERE t.entity_id = b.entity_id)")
    for table in ("article_focus", "article_places"):
        if frames_out[table].height:
            query_frame(con, frames_out[table], f"INSERT INTO {table} BY NAME SELECT * FROM batch_frame")


def rebuild_places(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """The three tables from the whole archive, in one transaction. Returns (places, focus rows)."""
    rows = con.execute(_NAMES.format(mentions="mentions", entities="entities")).fetchall()
    out = resolve_rows(rows)
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in out.items():
            con.execute(f"DELETE FROM {table}")
            if frame.height:
                query_frame(con, frame, f"INSERT INTO {table} BY NAME SELECT * FROM batch_frame")
        rebuild_country_aggregates(con)  # the country view's table reads article_places
    except BaseException:
        rollback(con)
        raise
    con.execute("COMMIT")
    return out["places"].height, out["article_focus"].height


# Random placed GPE mentions (the voted label), each with its article's reading and the body
# around it: a deterministic sample for a seed (a hash of the mention), for a hand check.
_SAMPLE = """
WITH readings AS (
    SELECT geonames_id, any_value(place_name) AS place_name, any_value(latitude) AS latitude,
           any_value(longitude) AS longitude, any_value(feature) AS feature
    FROM places GROUP BY geonames_id
)
SELECT m.surface, c.canonical_name, p.geonames_id, r.place_name, p.country_code, r.latitude, r.longitude,
       r.feature, a.body, m.start_char, m.end_char
FROM mentions m JOIN entity_canonical c USING (entity_id)
JOIN article_places p ON p.article_id = m.article_id AND p.entity_id = m.entity_id
JOIN articles a ON a.article_id = m.article_id
LEFT JOIN readings r ON r.geonames_id = p.geonames_id
WHERE c.canonical_label = 'GPE'
ORDER BY hash(m.article_id || ':' || m.start_char || ':' || ?), m.article_id, m.start_char
LIMIT ?
"""


def sample_placed(con: duckdb.DuckDBPyConnection, n: int = 50, seed: int = 0) -> list[dict]:
    """n random placed GPE mentions: surface, canonical_name, geonames_id, place_name,
    country_code, latitude, longitude, feature, sentence (presswatch.geo.check)."""
    from presswatch.geo.check import sentence_at
    from presswatch.geo.resolve import candidates

    cur = con.execute(_SAMPLE, [str(seed), n])
    names = [d[0] for d in cur.description]
    out = []
    for row in cur.fetchall():
        r = dict(zip(names, row))
        r["sentence"] = sentence_at(r.pop("body"), r.pop("start_char"), r.pop("end_char"))
        if r["place_name"] is None:  # a reading no entity's places row holds (Birmingham, Alabama)
            place = next((p for name in (r["canonical_name"], r["surface"]) for p in candidates(name)
                          if p.geonames_id == r["geonames_id"]), None)
            if place is not None:
                r.update(place_name=place.name, latitude=place.lat, longitude=place.lon, feature=place.feature)
        out.append(r)
    return out


def placed_shares(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int]]:
    """(label, mentions, mentions placed) for GPE/LOC/FAC by the archive's voted label
    (entity_canonical): the geocoding rate `presswatch entities places` prints. A mention is
    placed when its own article resolved it (article_places)."""
    return con.execute(f"""
        SELECT c.canonical_label, count(*)::BIGINT, count(p.entity_id)::BIGINT
        FROM mentions m JOIN entity_canonical c USING (entity_id)
        LEFT JOIN article_places p ON p.article_id = m.article_id AND p.entity_id = m.entity_id
        WHERE c.canonical_label IN ({_LABELS})
        GROUP BY 1 ORDER BY 1""").fetchall()
