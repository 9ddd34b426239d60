package postgis

// The store's SQL. {s} stands for the store's schema, quoted with
// pq.QuoteIdentifier, and is filled in by qualify; PostGIS's functions
// and types are found through search_path, which every connection starts
// with. Temporary staging tables (s_…) are unqualified, as temporary
// tables are. Values are always $n parameters.
//
// Filters take their lists as text[]; an empty array means "no limit", so
// callers pass empty, never NULL, arrays.

// Bootstrap and migration.
const (
	sqlAdvisoryLock   = `SELECT pg_advisory_lock($1)`
	sqlAdvisoryUnlock = `SELECT pg_advisory_unlock($1)`
	sqlPostGISSchema  = `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'`
	sqlCreatePostGIS  = `CREATE EXTENSION IF NOT EXISTS postgis`
	// A migration's commit does not wait for its WAL to reach the disk
	// (this transaction only): a crash just after may lose the migration
	// whole, with its schema_migrations row, and the next open applies it
	// again. An empty database runs a dozen of them. Nor does the serving
	// statement timeout apply: a migration rewriting a national store's
	// table takes minutes, and one cancelled half way would only be tried
	// again at the next open (a 200 ms timeout cancelled the first
	// migration of an empty schema on a machine at load 19).
	sqlSetSearchPath = `SELECT set_config('search_path', $1, true), set_config('synchronous_commit', 'off', true),
  set_config('statement_timeout', '0', true)`
	sqlCreateSchema     = `CREATE SCHEMA IF NOT EXISTS {s}`
	sqlCreateMigrations = `CREATE TABLE IF NOT EXISTS {s}.schema_migrations (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`
	sqlSchemaExists      = `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`
	sqlMigrationsExist   = `SELECT to_regclass($1) IS NOT NULL` // $1: the qualified table name
	sqlAppliedMigrations = `SELECT version FROM {s}.schema_migrations ORDER BY version`
	sqlRecordMigration   = `INSERT INTO {s}.schema_migrations (version, name) VALUES ($1, $2)`
)

// Import. Everything runs in the import's one transaction, holding the
// import lock from the start: duplicates are checked against what is
// stored, so no other import may commit in between.
const (
	// An import may stream for longer than any serving query should run,
	// and may wait for another import's lock; it is bounded by the
	// caller's context instead. work_mem keeps the merges' joins in memory;
	// maintenance_work_mem lets a new month's indexes be sorted in memory
	// when its partition is attached. The commit waits for its WAL, as
	// the server's setting says: the run bumps the data version, which
	// servers and clients key answers and ETags by, and a crash that lost
	// a commit already seen would let the next run reuse that version for
	// other data (one flush a run is all it saves; migrations, which bump
	// no version, do skip it).
	sqlImportSettings = `SET LOCAL statement_timeout = 0; SET LOCAL work_mem = '64MB'; SET LOCAL maintenance_work_mem = '256MB'`

	// Serialises imports (not readers) into one schema across processes.
	sqlImportLock = `SELECT pg_advisory_xact_lock($1)`

	// What is stored decides which checks a run needs: against an empty
	// store no ID can be a duplicate and no point can exist already.
	sqlImportStart = `SELECT EXISTS (SELECT 1 FROM {s}.incidents), EXISTS (SELECT 1 FROM {s}.partner_incidents), coalesce((SELECT max(id) FROM {s}.points), 0), coalesce((SELECT max(id) FROM {s}.partner_points), 0), EXISTS (SELECT 1 FROM {s}.agg)`

	// Per batch of the run: which IDs are stored, and which of the batch's
	// points (new to the run) are stored, with their ids. Coordinates
	// travel as shortest round-trip decimals, so the comparison is exact.
	sqlStoredIDs    = `SELECT id FROM {s}.incidents WHERE key = ANY($1::bigint[])`
	sqlStoredPoints = `
SELECT u.lon, u.lat, p.id
FROM unnest($1::float8[], $2::float8[]) AS u(lon, lat)
JOIN {s}.points p ON p.lon = u.lon AND p.lat = u.lat`

	// COPY … FROM STDIN, fed pre-encoded text rows through lib/pq's COPY
	// support (see copy.go). New incidents and points go straight to their
	// tables (incidents to their month's, partitions.go): a staging copy
	// of the incidents would double the biggest write of an import.
	sqlCopyRejects      = `COPY {s}.rejects (run, file, line, reason, raw) FROM STDIN`
	sqlCopyAgg          = `COPY {s}.agg (month, category, point_id, n) FROM STDIN`
	sqlCopyAggStage     = `COPY s_agg (month, category, point_id, n) FROM STDIN`
	sqlCopyAggText      = `COPY {s}.agg_text (month, category, point_id, location, outcome, n, ward_code) FROM STDIN`
	sqlCopyAggTextStage = `COPY s_agg_text (month, category, point_id, location, outcome, n, ward_code) FROM STDIN`
	sqlCopyAreas        = `COPY s_areas (kind, code, name, wkb) FROM STDIN`

	// A run's new points are staged, assigned to areas and stored in one
	// statement (points.go); ord is the order they go in.
	sqlCreatePointStage   = `CREATE TEMP TABLE s_points (ord integer, id integer, lon float8, lat float8, geom geometry(Point, 4326), h3_r6 bigint, h3_r7 bigint, h3_r8 bigint, h3_r9 bigint, h3_r10 bigint, policeuk boolean) ON COMMIT DROP`
	sqlCopyPointStage     = `COPY s_points (ord, id, lon, lat, geom, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, policeuk) FROM STDIN`
	sqlIndexPointStage    = `CREATE INDEX ON s_points USING gist (geom)`
	sqlAreasStored        = `SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind IN ('ward', 'lsoa'))`
	sqlInsertStagedPoints = `
INSERT INTO {s}.points (id, lon, lat, geom, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, policeuk)
SELECT id, lon, lat, geom, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, policeuk FROM s_points ORDER BY ord`
	// The rule of sqlAssignWards: the covering area with the lowest code.
	sqlInsertStagedPointsInAreas = `
INSERT INTO {s}.points (id, lon, lat, geom, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, policeuk, ward_code, lsoa_code)
SELECT s.id, s.lon, s.lat, s.geom, s.h3_r6, s.h3_r7, s.h3_r8, s.h3_r9, s.h3_r10, s.policeuk, w.code, l.code
FROM s_points s
LEFT JOIN (
	SELECT DISTINCT ON (q.id) q.id, a.code
	FROM {s}.areas a
	JOIN s_points q ON ST_Covers(a.geom, q.geom)
	WHERE a.kind = 'ward'
	ORDER BY q.id, a.code COLLATE "C"
) w ON w.id = s.id
LEFT JOIN (
	SELECT DISTINCT ON (q.id) q.id, a.code
	FROM {s}.areas a
	JOIN s_points q ON ST_Covers(a.geom, q.geom)
	WHERE a.kind = 'lsoa'
	ORDER BY q.id, a.code COLLATE "C"
) l ON l.id = s.id
ORDER BY s.ord`

	// Point ids are given by the importer (under the lock); the sequence
	// is moved past them so that it stays usable.
	sqlSyncPointSeq = `SELECT setval(pg_get_serial_sequence($1, 'id'), $2)` // $1: the points table, qualified

	sqlNextRun = `SELECT nextval($1::regclass)` // $1: the qualified sequence name

	// A run's counts are added to the stored ones: matching rows are
	// updated, the rest inserted, both as hash joins over agg (which has
	// no index: queries scan it, and an index would cost more at every
	// import than it saves).
	sqlCreateAggStage = `CREATE TEMP TABLE s_agg (month integer, category text COLLATE "C", point_id integer, n integer) ON COMMIT DROP`
	sqlMergeAggUpdate = `
UPDATE {s}.agg a SET n = a.n + s.n
FROM s_agg s
WHERE a.month = s.month AND a.category = s.category AND a.point_id = s.point_id`
	sqlMergeAggInsert = `
INSERT INTO {s}.agg (month, category, point_id, n)
SELECT s.month, s.category, s.point_id, s.n
FROM s_agg s
WHERE NOT EXISTS (SELECT 1 FROM {s}.agg a WHERE a.month = s.month AND a.category = s.category AND a.point_id = s.point_id)`

	// agg_text is merged as agg is; its texts are stored first, each
	// once (the unique key), and their ids read back.
	sqlCreateAggTextStage = `CREATE TEMP TABLE s_agg_text (month integer, category text COLLATE "C", point_id integer, location integer, outcome integer, n integer, ward_code text COLLATE "C") ON COMMIT DROP`
	sqlMergeAggTextUpdate = `
UPDATE {s}.agg_text a SET n = a.n + s.n
FROM s_agg_text s
WHERE a.month = s.month AND a.category = s.category AND a.point_id = s.point_id AND a.location = s.location AND a.outcome = s.outcome`
	sqlMergeAggTextInsert = `
INSERT INTO {s}.agg_text (month, category, point_id, location, outcome, n, ward_code)
SELECT s.month, s.category, s.point_id, s.location, s.outcome, s.n, s.ward_code
FROM s_agg_text s
WHERE NOT EXISTS (SELECT 1 FROM {s}.agg_text a WHERE a.month = s.month AND a.category = s.category AND a.point_id = s.point_id AND a.location = s.location AND a.outcome = s.outcome)`
	sqlAddTexts = `INSERT INTO {s}.texts (text) SELECT unnest($1::text[]) ON CONFLICT (text) DO NOTHING`
	sqlTextIDs  = `SELECT id, text FROM {s}.texts WHERE text = ANY($1::text[])`

	sqlAddMonths      = `INSERT INTO {s}.months (month) SELECT unnest($1::integer[]) ON CONFLICT DO NOTHING`
	sqlAddMonthTotals = `
INSERT INTO {s}.agg_month (month, category, n)
SELECT * FROM unnest($1::integer[], $2::text[], $3::bigint[])
ON CONFLICT (month, category) DO UPDATE SET n = agg_month.n + EXCLUDED.n`
	sqlAddCategories = `INSERT INTO {s}.categories (category) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`

	sqlCreateAreaStage = `CREATE TEMP TABLE s_areas (kind text, code text COLLATE "C", name text, wkb bytea) ON COMMIT DROP`
	// Kinds whose staged areas differ from the stored ones in membership,
	// name or geometry (compared as WKB bytes, so exactly).
	sqlChangedKinds = `
SELECT DISTINCT coalesce(s.kind, a.kind)
FROM s_areas s
FULL JOIN (SELECT * FROM {s}.areas WHERE kind IN (SELECT kind FROM s_areas)) a ON a.kind = s.kind AND a.code = s.code
WHERE s.code IS NULL OR a.code IS NULL OR s.name <> a.name
   OR ST_AsBinary(a.geom) <> ST_AsBinary(ST_GeomFromWKB(s.wkb, 4326))`
	sqlDeleteAreas = `DELETE FROM {s}.areas WHERE kind = ANY($1::text[])`
	sqlInsertAreas = `
INSERT INTO {s}.areas (kind, code, name, geom)
SELECT kind, code, name, ST_GeomFromWKB(wkb, 4326) FROM s_areas WHERE kind = ANY($1::text[])`

	// A point belongs to the covering area with the lowest code (byte-wise),
	// so a point on an edge shared by two areas has exactly one. Areas are
	// the outer side of the join: each is tested against the points in its
	// box through the points' GiST index, which keeps PostGIS's cached
	// prepared polygon hot. $1 is the last point id to (re)assign: points
	// the run adds come with their areas (sqlInsertStagedPointsInAreas).
	sqlClearWards  = `UPDATE {s}.points SET ward_code = NULL WHERE ward_code IS NOT NULL AND id <= $1`
	sqlAssignWards = `
UPDATE {s}.points p SET ward_code = c.code
FROM (
	SELECT DISTINCT ON (q.id) q.id, a.code
	FROM {s}.areas a
	JOIN {s}.points q ON ST_Covers(a.geom, q.geom)
	WHERE a.kind = 'ward' AND q.id <= $1
	ORDER BY q.id, a.code COLLATE "C"
) c
WHERE p.id = c.id`
	sqlClearLSOAs  = `UPDATE {s}.points SET lsoa_code = NULL WHERE lsoa_code IS NOT NULL AND id <= $1`
	sqlAssignLSOAs = `
UPDATE {s}.points p SET lsoa_code = c.code
FROM (
	SELECT DISTINCT ON (q.id) q.id, a.code
	FROM {s}.areas a
	JOIN {s}.points q ON ST_Covers(a.geom, q.geom)
	WHERE a.kind = 'lsoa' AND q.id <= $1
	ORDER BY q.id, a.code COLLATE "C"
) c
WHERE p.id = c.id`

	// Only changed rows count, so loading the same figures again changes
	// nothing.
	sqlMergePopulation = `
INSERT INTO {s}.population AS pop (code, residents)
SELECT * FROM unnest($1::text[], $2::bigint[])
ON CONFLICT (code) DO UPDATE SET residents = EXCLUDED.residents
WHERE pop.residents IS DISTINCT FROM EXCLUDED.residents`

	sqlBumpGeneration = `UPDATE {s}.meta SET generation = generation + 1,
  public_generation = CASE WHEN $1::boolean THEN generation + 1 ELSE public_generation END`
)

// Queries.
const (
	sqlVersion    = `SELECT store_id, generation, public_generation FROM {s}.meta`
	sqlReady      = `SELECT 1 FROM {s}.meta`
	sqlMonths     = `SELECT month FROM {s}.months ORDER BY month`
	sqlCategories = `SELECT category FROM {s}.categories ORDER BY category` // the column is COLLATE "C"
	sqlAreas      = `SELECT code, name, ST_AsBinary(geom) FROM {s}.areas WHERE kind = $1 ORDER BY code COLLATE "C"`
	sqlPopulation = `SELECT code, residents FROM {s}.population`
	sqlWardExists = `SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward' AND code = $1)`

	// The counted rule shared by cell, ward and series counts: when wards
	// are stored, a point counts only inside one (and inside the filter's
	// wards when it names any); with no wards, every located incident
	// counts and the filter's wards are ignored. agg rows with point_id 0
	// (no location) never join a point. $1, $2 months; $3 categories;
	// $4 wards.
	sqlCellCounts = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT CASE $5::integer WHEN 6 THEN p.h3_r6 WHEN 7 THEN p.h3_r7 WHEN 8 THEN p.h3_r8 WHEN 9 THEN p.h3_r9 ELSE p.h3_r10 END AS cell,
       sum(a.n)
FROM {s}.agg a
JOIN {s}.points p ON p.id = a.point_id
CROSS JOIN f
WHERE a.month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR a.category = ANY($3::text[]))
  AND (NOT f.wards OR (p.ward_code IS NOT NULL AND (cardinality($4::text[]) = 0 OR p.ward_code = ANY($4::text[]))))
GROUP BY 1`

	// sqlCellCounts by month as well; $5 resolution.
	sqlCellMonthCounts = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT CASE $5::integer WHEN 6 THEN p.h3_r6 WHEN 7 THEN p.h3_r7 WHEN 8 THEN p.h3_r8 WHEN 9 THEN p.h3_r9 ELSE p.h3_r10 END AS cell,
       a.month, sum(a.n)
FROM {s}.agg a
JOIN {s}.points p ON p.id = a.point_id
CROSS JOIN f
WHERE a.month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR a.category = ANY($3::text[]))
  AND (NOT f.wards OR (p.ward_code IS NOT NULL AND (cardinality($4::text[]) = 0 OR p.ward_code = ANY($4::text[]))))
GROUP BY 1, 2`

	// $5 resolution and $6 cell (0: any cell); $7 ward ('': any ward).
	sqlSeries = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT a.month, sum(a.n)
FROM {s}.agg a
JOIN {s}.points p ON p.id = a.point_id
CROSS JOIN f
WHERE a.month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR a.category = ANY($3::text[]))
  AND (NOT f.wards OR (p.ward_code IS NOT NULL AND (cardinality($4::text[]) = 0 OR p.ward_code = ANY($4::text[]))))
  AND ($6::bigint = 0 OR $6::bigint = CASE $5::integer WHEN 6 THEN p.h3_r6 WHEN 7 THEN p.h3_r7 WHEN 8 THEN p.h3_r8 WHEN 9 THEN p.h3_r9 ELSE p.h3_r10 END)
  AND ($7::text = '' OR p.ward_code = $7::text)
GROUP BY 1`

	// Incidents are listed inside the city or not. The filter's wards
	// limit them only when wards are stored; a limit or a box leaves out
	// incidents without location (their point columns are NULL). The box
	// includes its boundary. $1, $2 months; $3 categories; $4 wards;
	// $5 whether a box is given; $6–$9 min lon, min lat, max lon, max lat.
	// The box is tested on the points' GiST index first (&& compares
	// float4 boxes, rounded outward) and then exactly on the coordinates.
	sqlIncidentsWhere = `
WHERE i.month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR i.category = ANY($3::text[]))
  AND (cardinality($4::text[]) = 0 OR NOT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') OR p.ward_code = ANY($4::text[]))
  AND (NOT $5::boolean OR (p.geom && ST_MakeEnvelope($6, $7, $8, $9, 4326) AND p.lon BETWEEN $6 AND $8 AND p.lat BETWEEN $7 AND $9))`

	sqlIncidentColumns = `
SELECT i.id, i.month, i.reported_by, i.falls_within, i.location, i.lsoa_code, i.lsoa_name,
       i.category, i.outcome, i.context, p.lon, p.lat, w.code, w.name
FROM {s}.incidents i
LEFT JOIN {s}.points p ON p.id = i.point_id
LEFT JOIN {s}.areas w ON w.kind = 'ward' AND w.code = p.ward_code`

	// $2 is incidentKey($1).
	sqlIncident = sqlIncidentColumns + `
WHERE i.key = $2 AND i.id = $1`
)
