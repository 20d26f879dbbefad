"""The SQL of a sync: a staging table filled by COPY, and set-based statements that merge it.

All values are bound parameters; the only composed identifiers are the fixed table names below.
Geometry work (curves made straight, Z dropped, reprojected, made valid keeping the polygonal
part) happens only for features whose hash differs from the one stored with their location.
"""

from __future__ import annotations

from typing import Any

LOCATION = "locations_location"

# Inside an enclosing transaction (a test, a caller's atomic block) ON COMMIT has not fired yet.
DROP_TEMP = "DROP TABLE IF EXISTS import_stage, import_work"
CREATE_STAGE = """
CREATE TEMP TABLE import_stage (
    n bigint NOT NULL,
    ext_id text,
    name text,
    type text,
    attrs text NOT NULL,
    wkb bytea,
    reject text
) ON COMMIT DROP
"""
# Binary, built column-wise from the Arrow batches (importers/copy_binary.py, stage_rows below).
COPY_STAGE = "COPY import_stage (n, ext_id, name, type, attrs, wkb) FROM STDIN (FORMAT binary)"

# An external id seen twice: the first is kept, the others are rejected.
REJECT_WITHOUT_ID = "UPDATE import_stage SET reject = 'no_id' WHERE ext_id IS NULL OR ext_id = ''"
# Location.external_id holds this many characters: a longer id is rejected, its issue naming its
# length (bulk.id_too_long_detail), by the SQL merge here and by the first import (importers/bulk.py).
MAX_ID_LENGTH = 255
# Returns the rejected ids' lengths (usually none), for their issues' texts (Sync.long_id_lengths).
REJECT_LONG_ID = (
    f"UPDATE import_stage SET reject = 'id_too_long' WHERE char_length(ext_id) > {MAX_ID_LENGTH}"
    " RETURNING char_length(ext_id)"
)
REJECT_DUPLICATES = """
UPDATE import_stage s SET reject = 'duplicate_id'
FROM (
    SELECT n, row_number() OVER (PARTITION BY ext_id ORDER BY n) AS seen
    FROM import_stage WHERE reject IS NULL
) d
WHERE d.n = s.n AND d.seen > 1
"""

# New, changed and reappearing features, with their geometry cleaned up and a reason when it
# cannot be used. The candidates are selected first (behind OFFSET 0), so unchanged features
# never reach the geometry functions; plain 2D polygons in the storage SRID (nearly all) skip
# the conversions.
# The OFFSET 0 subqueries keep PostgreSQL from inlining them, which would run the expensive
# functions once per reference instead of once per row.
_STAGED = """
SELECT st.n, st.ext_id, st.name, st.type, st.attrs, st.wkb,
       md5(coalesce(st.wkb, ''::bytea) || convert_to(
           concat_ws(E'\\x1f', %(salt)s::text, st.name, st.type, st.attrs), 'UTF8')) AS hash
FROM import_stage st
WHERE st.reject IS NULL
"""
_CANDIDATES = f"""
SELECT st.n, st.ext_id, st.name, st.type, st.attrs, st.wkb, st.hash, l.id AS location_id,
       l.withdrawn_at IS NOT NULL AS reappearing
FROM ({_STAGED}) st
LEFT JOIN {LOCATION} l ON l.source_id = %(source)s AND l.external_id = st.ext_id
WHERE l.id IS NULL OR l.source_hash IS DISTINCT FROM st.hash OR l.withdrawn_at IS NOT NULL
OFFSET 0
"""
# In a first import every staged feature is new: its id is none of those copied before it
# (importers.bulk.usable_ids). Joined with the locations all the same, PostgreSQL, its statistics
# not knowing the source's 100,000 rows just copied, hashed all of them to look up 25 staged
# features without a geometry: 0.47-0.72 s.
_NEW_CANDIDATES = f"""
SELECT st.n, st.ext_id, st.name, st.type, st.attrs, st.wkb, st.hash, NULL::bigint AS location_id,
       false AS reappearing
FROM ({_STAGED}) st
OFFSET 0
"""
_WORK = """
CREATE TEMP TABLE import_work ON COMMIT DROP AS
SELECT s.n, s.ext_id, s.name, s.type, s.attrs, s.hash, s.location_id, s.reappearing, c.geom, c.code, c.detail
FROM (__CANDIDATES__) s
CROSS JOIN LATERAL (
    SELECT g, GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON') AND ST_NDims(g) = 2
              AND %(srid)s = %(storage_srid)s AS plain
    FROM (SELECT ST_GeomFromWKB(s.wkb, %(srid)s) AS g OFFSET 0) raw
    OFFSET 0
) r
CROSS JOIN LATERAL (
    SELECT CASE WHEN r.g IS NULL OR r.plain THEN r.g
                ELSE (SELECT CASE WHEN %(srid)s = %(storage_srid)s THEN x ELSE ST_Transform(x, %(storage_srid)s) END
                      FROM (SELECT ST_Force2D(CASE WHEN ST_HasArc(r.g) THEN ST_CurveToLine(r.g) ELSE r.g END) AS x
                            OFFSET 0) lin) END AS g2
    OFFSET 0
) prj
CROSS JOIN LATERAL (
    SELECT CASE WHEN prj.g2 IS NULL OR ST_IsEmpty(prj.g2) THEN NULL
                WHEN r.plain OR GeometryType(prj.g2) IN ('POLYGON', 'MULTIPOLYGON') THEN prj.g2
                ELSE (SELECT CASE WHEN ST_IsEmpty(x) THEN NULL ELSE x END
                      FROM (SELECT ST_CollectionExtract(prj.g2, 3) AS x OFFSET 0) e) END AS area
    OFFSET 0
) poly
CROSS JOIN LATERAL (
    SELECT CASE WHEN poly.area IS NULL THEN NULL ELSE ST_IsValid(poly.area) END AS valid
    OFFSET 0
) v
CROSS JOIN LATERAL (
    SELECT CASE WHEN v.valid THEN poly.area WHEN v.valid IS NULL THEN NULL
                ELSE (SELECT CASE WHEN ST_IsEmpty(x) OR NOT ST_IsValid(x) THEN NULL ELSE x END
                      FROM (SELECT ST_CollectionExtract(ST_MakeValid(poly.area), 3) AS x OFFSET 0) m) END AS fixed
    OFFSET 0
) f
CROSS JOIN LATERAL (
    SELECT
        ST_Multi(f.fixed) AS geom,
        CASE WHEN s.wkb IS NULL THEN 'no_geometry'
             WHEN prj.g2 IS NULL OR ST_IsEmpty(prj.g2) THEN 'empty'
             WHEN poly.area IS NULL THEN 'not_an_area'
             WHEN f.fixed IS NULL THEN 'unrepairable'
             WHEN NOT v.valid THEN 'made_valid'
        END AS code,
        CASE WHEN prj.g2 IS NOT NULL AND poly.area IS NULL AND NOT ST_IsEmpty(prj.g2)
                  THEN ST_GeometryType(prj.g2)
             WHEN v.valid = false THEN ST_IsValidReason(poly.area)
        END AS detail
) c
"""
CREATE_WORK = _WORK.replace("__CANDIDATES__", _CANDIDATES)
CREATE_WORK_OF_NEW = _WORK.replace("__CANDIDATES__", _NEW_CANDIDATES)

# The lateral steps above are each planned behind a Memoize node keyed on whole geometries:
# hashing them costs more than the work it would save (measured: 2.25 s -> 1.15 s for 100k
# new features without it). Parallel workers cost ~30 ms start-up per statement here. The
# laterals' cost estimates are huge, so PostgreSQL JIT-compiles the merge: ~0.37 s of 1.2 s for
# 100k unchanged features, saving nothing. The join of 100k staged rows with the source's
# locations spills to disk in batches with the default 4 MB work_mem.
PLAN_FOR_MERGE = (
    "SET LOCAL enable_memoize = off; SET LOCAL max_parallel_workers_per_gather = 0; "
    "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'"
)

COUNT_STAGE = """
SELECT count(*) FILTER (WHERE reject IS NULL), count(*) FILTER (WHERE reject IS NOT NULL) FROM import_stage
"""
COUNT_WORK = """
SELECT count(*) FILTER (WHERE geom IS NOT NULL AND location_id IS NULL),
       count(*) FILTER (WHERE geom IS NOT NULL AND location_id IS NOT NULL),
       count(*) FILTER (WHERE code = 'made_valid'),
       count(*) FILTER (WHERE geom IS NULL),
       count(*),
       count(*) FILTER (WHERE geom IS NOT NULL AND reappearing)
FROM import_work
"""

# Locations whose ground changes in this run: geometry replaced, or gone from the source.
# Not ST_Equals: GEOS's relate threw "TopologyException: side location conflict" comparing a bowtie
# repaired by shapely (the first import) with the same bowtie repaired by PostGIS (a re-sync of a
# reappearing feature): their shared vertex differs by 1e-11 m, and the whole sync failed. Boxes
# that differ are changed ground; identical geometries are not; otherwise the area where the two
# differ (OverlayNG, robust) decides, ignoring less than 1 cm² of noise. The CASE fixes the order.
CHANGED_GROUND_NOISE_M2 = 0.0001
# The lateral join looks each location up by its key: as a join, PostgreSQL hashed the whole
# locations table for 1,000 changed rows (0.17 s of 200,000 rows). OFFSET 0 keeps it lateral: a
# plain subquery is pulled up into a join, and PostgreSQL hashed the table all the same (a sequential
# scan of 200,000 rows and a 66 MB hash: 0.40 s for 1,000 changed rows, where 1,000 lookups by key
# take a few milliseconds).
CHANGED_GROUND = f"""
SELECT w.location_id FROM import_work w
CROSS JOIN LATERAL (SELECT geometry FROM {LOCATION} WHERE id = w.location_id OFFSET 0) l
WHERE w.location_id IS NOT NULL AND w.geom IS NOT NULL
  AND CASE WHEN NOT (l.geometry ~= w.geom) THEN true
           WHEN ST_OrderingEquals(l.geometry, w.geom) THEN false
           ELSE ST_Area(ST_SymDifference(l.geometry, w.geom)) >= {CHANGED_GROUND_NOISE_M2} END
"""
# EXCEPT is a hashed set operation: an anti-join here could be planned as a nested loop over
# two 100k-row sides.
GONE = f"""
SELECT l.id
FROM (
    SELECT external_id FROM {LOCATION} WHERE source_id = %(source)s AND withdrawn_at IS NULL
    EXCEPT
    SELECT ext_id FROM import_stage WHERE ext_id IS NOT NULL
) g
JOIN {LOCATION} l ON l.source_id = %(source)s AND l.external_id = g.external_id
"""

# The hash of every current location of a source, by external id: a re-sync compares the features
# with these while it reads them (importers.sync.merge.Known) and stages only the others.
# KNOWN_HASHES is read through a server-side cursor (in chunks: a list of a million rows took
# ~230 MB). PostgreSQL plans a cursor for its first 10% of rows, and chose an index scan visiting
# the heap in index order, 1.5-2× slower than the scan and in-memory sort it plans for the whole
# result; the sort spilled to disk with the default 4 MB work_mem. For a source with a third of the
# table's rows PostgreSQL then chose a sequential scan of the whole table (every source's rows and
# geometries) over a bitmap scan of this source's pages: 0.66-0.83 s of server CPU against 0.40 s
# (100,000 of 300,000 rows), and the scan grows with the table, the bitmap with the source. Sequential
# scans are allowed again (ANY_SCAN) once the cursor is declared.
SOURCE_PAGES_ONLY = "SET LOCAL enable_seqscan = off"
ANY_SCAN = "SET LOCAL enable_seqscan = on"
PLAN_FOR_KNOWN = f"{PLAN_FOR_MERGE}; SET LOCAL cursor_tuple_fraction = 1; {SOURCE_PAGES_ONLY}"
# In byte order (the "C" collation), as numpy sorts byte strings (sorted here, the arrays need no
# second copy in the process); the hash as its hex text: checking and decoding it in PostgreSQL (a
# regular expression per row) took ~0.3 s of 0.5 s for 100,000 rows, numpy does it in the process
# (importers.idset.digests_of_hex).
# `(withdrawn_at IS NULL) IS TRUE`, not `withdrawn_at IS NULL`: with the latter PostgreSQL chose a
# bitmap scan of the smallest index whose predicate is the same condition, the feed's trigram GIN over
# every current location (ogc_location_current_search), and visited the pages of every source: 17,225
# pages and 0.34-0.48 s against this source's 8,628 pages by its unique key and 0.10-0.13 s (100,000 of
# 200,000 rows, warm). The other form is the same condition that no partial index's predicate matches.
CURRENT_OF_SOURCE = "source_id = %(source)s AND (withdrawn_at IS NULL) IS TRUE"
KNOWN_HASHES = f"""
SELECT external_id, source_hash FROM {LOCATION} WHERE {CURRENT_OF_SOURCE} ORDER BY external_id COLLATE "C"
"""
# The current locations of a source with these external ids: the gone ones, when Known found them.
LOCATIONS_OF_IDS = f"""
SELECT id FROM {LOCATION}
WHERE source_id = %(source)s AND withdrawn_at IS NULL AND external_id = ANY(%(ext_ids)s::text[])
"""

# The statistics the sync's own queries plan with: which source a location comes from, its external
# id, whether it is withdrawn. A first import of 200,000 features into a table whose statistics
# predate the source left the planner believing the source had one row; the next sync's GONE ran
# as a nested loop over both sides for over 10 minutes (2.4 s with fresh statistics). These three
# columns cost ~0.3 s on 300,000 rows, the whole table with its geometry histogram ~0.5 s
# (docs/importers.md); autovacuum takes care of the rest later.
ANALYZE_LOCATIONS = f"ANALYZE {LOCATION} (source_id, external_id, withdrawn_at)"

# The details of ids too long come from Python, each in the run's language with the plural form of its
# length (bulk.id_too_long_detail), bound as two arrays: a handful of values (Sync.record_issues).
RECORD_ISSUES = f"""
INSERT INTO importers_importissue (run_id, feature_index, external_id, kind, code, detail)
SELECT %(run)s, n, coalesce(left(ext_id, {MAX_ID_LENGTH}), ''), 'rejected', reject,
       coalesce((SELECT t.detail
                 FROM unnest(%(long_id_lengths)s::int[], %(long_id_details)s::text[]) AS t(length, detail)
                 WHERE reject = 'id_too_long' AND t.length = char_length(ext_id)), '')
FROM import_stage WHERE reject IS NOT NULL
UNION ALL
SELECT %(run)s, n, left(ext_id, {MAX_ID_LENGTH}), CASE WHEN geom IS NULL THEN 'rejected' ELSE 'repaired' END, code,
       coalesce(detail, '')
FROM import_work WHERE code IS NOT NULL
"""

# The changed locations take the feature's values, the gone ones are withdrawn: one UPDATE, because
# the statement-level triggers on the locations (ogc/sql/) cost most per statement, not per row
# (1,000 changed and 1,000 gone rows: 1.7 s and 1.6 s as two statements under load). A location is
# either named by a feature (changed) or not (gone), never both.
UPDATE_CHANGED_AND_WITHDRAW = f"""
WITH target AS (
    SELECT w.location_id AS id, false AS gone, w.geom, coalesce(left(w.name, 255), '') AS name,
           coalesce(left(w.type, 100), '') AS type, w.attrs::jsonb AS attributes, w.hash
    FROM import_work w
    WHERE w.location_id IS NOT NULL AND w.geom IS NOT NULL
    UNION ALL
    SELECT id, true, NULL, NULL, NULL, NULL, NULL FROM unnest(%(gone)s::bigint[]) AS id
), changed AS (
    UPDATE {LOCATION} l
    SET geometry = CASE WHEN t.gone THEN l.geometry ELSE t.geom END,
        name = CASE WHEN t.gone THEN l.name ELSE t.name END,
        type = CASE WHEN t.gone THEN l.type ELSE t.type END,
        attributes = CASE WHEN t.gone THEN l.attributes ELSE t.attributes END,
        source_hash = CASE WHEN t.gone THEN l.source_hash ELSE t.hash END,
        withdrawn_at = CASE WHEN t.gone THEN now() END,
        updated_at = now()
    FROM target t
    WHERE l.id = t.id
    RETURNING l.id, t.gone
)
INSERT INTO importers_importchange (run_id, location_id, change)
SELECT %(run)s, id, CASE WHEN gone THEN 'withdrawn' ELSE 'updated' END FROM changed
"""

INSERT_NEW = f"""
WITH created AS (
    INSERT INTO {LOCATION} (owner_id, source_id, external_id, name, type, geometry, attributes, source_hash,
                            status)
    SELECT %(owner)s, %(source)s, w.ext_id, coalesce(left(w.name, 255), ''), coalesce(left(w.type, 100), ''),
           w.geom, w.attrs::jsonb, w.hash, %(status)s
    FROM import_work w
    WHERE w.location_id IS NULL AND w.geom IS NOT NULL
    RETURNING id
)
SELECT min(id), max(id) FROM created
"""

# What the foreign keys of locations_location check per row (that the owner and source exist,
# and keeping them from being deleted until commit), done once for a first import whose rows
# all carry this owner and source.
LOCK_OWNER = "SELECT id FROM owners_owner WHERE id = %(owner)s FOR KEY SHARE"
LOCK_SOURCE_ROW = "SELECT id FROM importers_source WHERE id = %(source)s FOR KEY SHARE"
# Superusers, and roles granted SET on the parameter (PostgreSQL 15+), may skip the per-row checks.
MAY_SKIP_ROW_CHECKS = "SELECT has_parameter_privilege('session_replication_role', 'SET')"
SKIP_ROW_CHECKS = "SET LOCAL session_replication_role = replica"
RESUME_ROW_CHECKS = "SET LOCAL session_replication_role = origin"

# A row when the source has a location. In the order of its unique (source, external id) key, so it is
# read from that index: as EXISTS (…), PostgreSQL scanned the table from its start up to the source's
# first row (0.06-0.09 s for a source behind 100,000 rows of others, growing with the table).
SOURCE_HAS_LOCATIONS = f"SELECT 1 FROM {LOCATION} WHERE source_id = %(source)s ORDER BY source_id, external_id LIMIT 1"
# The last id the locations' sequence handed out (0 before the first). Read before and after a
# first import, it brackets every id the import created: ids only grow. Other writers' ids may
# fall in between; the diff (importers.selectors) filters by source. Cheaper than min/max over
# 100k new rows (~0.15 s).
LAST_LOCATION_ID = f"SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('{LOCATION}', 'id')), 0)"

COUNT_CURRENT = f"SELECT count(*) FROM {LOCATION} WHERE {CURRENT_OF_SOURCE}"
# An unchanged re-sync runs COUNT_CURRENT between SOURCE_PAGES_ONLY and ANY_SCAN, a bitmap scan of
# the source's pages: PostgreSQL chose a parallel scan of the whole table (100,000 of 300,000 rows:
# 0.89 s against 0.34 s, 130,000 pages read against 10,000), which grows with every other source;
# and, by `withdrawn_at IS NULL`, a bitmap scan of every current location (KNOWN_HASHES above: 0.48
# against 0.12 s).

# A worker killed in the middle of a long statement leaves its backend running that statement to
# the end (the GONE of issue 12 ran 10 minutes) and holding the source's lock; with this, PostgreSQL
# looks every 5 s whether the client is still there and rolls the run back when it is not.
CLIENT_CHECK = "SET LOCAL client_connection_check_interval = '5s'"

# Serialises syncs of one source: a second run waits until the first has committed or failed.
LOCK_SOURCE = "SELECT pg_advisory_xact_lock(hashtext('importers.source'), %(source)s)"


def stage_rows(table: Any) -> bytes:
    """The rows of a batch table (importers.readers.base.Batch) for COPY_STAGE, without the
    binary COPY header and trailer."""
    from importers import copy_binary

    return copy_binary.rows(
        [copy_binary.int8_column(table.column("n")),
         *(copy_binary.variable_column(table.column(name)) for name in ("ext_id", "name", "type", "attrs", "wkb"))],
        table.num_rows,
    )  # fmt: skip
