-- Partner records' own map points (issue 13, import speed).
--
-- A geocoded partner log has a point per record, and those points were
-- kept in points beside police.uk's, so that a partner import of 1 M
-- records added 1 M rows to a table that already held the city's points
-- and readers: its four indexes (primary key, unique coordinates, GiST,
-- points_ward_cells) were kept row by row, and the run's ward join ran in
-- PostGIS, most of the import's database time. Partner queries read a
-- point's coordinates, cells and ward by its id, never its geometry, so
-- partner points live here, without geometry or spatial index; the
-- importer assigns their ward and LSOA in Go (geo/areas, the ST_Covers
-- rule with the lowest code on shared edges) and copies them in finished.
-- points keeps police.uk's map points only, which MapPoints lists.
--
-- ids are the importer's (under its lock), numbered apart from points'.
-- A store made before this migration keeps its partner records' point ids:
-- every point a partner record names is copied here with its id, and the
-- points only partner records had leave points.
SET LOCAL statement_timeout = 0;
SET LOCAL work_mem = '256MB';

CREATE TABLE partner_points (
    id        integer PRIMARY KEY,
    lon       float8 NOT NULL,
    lat       float8 NOT NULL,
    h3_r6     bigint NOT NULL,
    h3_r7     bigint NOT NULL,
    h3_r8     bigint NOT NULL,
    h3_r9     bigint NOT NULL,
    h3_r10    bigint NOT NULL,
    ward_code text COLLATE "C",
    lsoa_code text COLLATE "C",
    UNIQUE (lon, lat)
);

INSERT INTO partner_points (id, lon, lat, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, ward_code, lsoa_code)
SELECT p.id, p.lon, p.lat, p.h3_r6, p.h3_r7, p.h3_r8, p.h3_r9, p.h3_r10, p.ward_code, p.lsoa_code
FROM points p
WHERE p.id IN (SELECT point_id FROM partner_incidents WHERE point_id IS NOT NULL)
ORDER BY p.id;

DELETE FROM points WHERE NOT policeuk;

-- Nothing reads partner_hex by point: new boundaries update its wards
-- with one hash join over the whole table. The index cost a sort of
-- every record at a first import and an entry per record at later ones.
DROP INDEX partner_hex_point;
ANALYZE partner_points;
