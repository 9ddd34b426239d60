-- hotspot PostGIS store, schema version 1.
--
-- Runs inside the store's schema (search_path set by the migrator), in one
-- transaction. Identifiers and categories are COLLATE "C" so that ordering
-- is byte-wise, as the embedded store and the API contract have it.

-- One row: the store's identity and a counter bumped by every import that
-- changes data. Version() is store_id.generation; a new schema gets a new
-- identity so that caches keyed on the version never confuse two stores.
CREATE TABLE meta (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    store_id   text    NOT NULL,
    generation bigint  NOT NULL DEFAULT 0
);
INSERT INTO meta (store_id) VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 16));

-- Distinct map points. police.uk snaps incidents to a limited set of
-- points, so cells and areas are worked out once per point. lon/lat keep
-- the exact doubles read (geom is built from them), so the unique key finds
-- a point again on re-import.
CREATE TABLE points (
    id        serial PRIMARY KEY,
    lon       float8 NOT NULL,
    lat       float8 NOT NULL,
    geom      geometry(Point, 4326) NOT NULL,
    h3_r6     bigint NOT NULL,
    h3_r7     bigint NOT NULL,
    h3_r8     bigint NOT NULL,
    h3_r9     bigint NOT NULL,
    h3_r10    bigint NOT NULL,
    ward_code text COLLATE "C",
    lsoa_code text COLLATE "C",
    UNIQUE (lon, lat)
);
CREATE INDEX points_geom_idx ON points USING gist (geom);

-- Every police.uk column is kept. point_id is NULL for "No Location" rows.
-- There is no foreign key to points: the importer writes both in one
-- transaction, and per-row constraint triggers would double bulk-load time.
CREATE TABLE incidents (
    id           text COLLATE "C" PRIMARY KEY,
    month        integer NOT NULL, -- geo.Month: year*12 + month-1
    reported_by  text NOT NULL,
    falls_within text NOT NULL,
    location     text NOT NULL,
    lsoa_code    text NOT NULL,
    lsoa_name    text NOT NULL,
    category     text COLLATE "C" NOT NULL,
    outcome      text NOT NULL,
    context      text NOT NULL,
    point_id     integer
);

-- Wards, LSOAs and the city. Geometry is stored exactly as imported (ring
-- order and orientation included) and read back as WKB.
CREATE TABLE areas (
    kind text NOT NULL,
    code text COLLATE "C" NOT NULL,
    name text NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    PRIMARY KEY (kind, code)
);
CREATE INDEX areas_geom_idx ON areas USING gist (geom);

CREATE TABLE population (
    code      text COLLATE "C" PRIMARY KEY,
    residents bigint NOT NULL
);

-- Incident counts per month × category × point, maintained by every
-- import, so hotspot, ward and series queries read this (joined to points
-- for cells and wards) and never scan incidents. point_id 0 counts the
-- incidents without location, which still give months and categories.
-- (month, category, point_id) is unique; the importer keeps it so under
-- its lock. Its index (migration 0002) serves queries by category and
-- month.
CREATE TABLE agg (
    month    integer NOT NULL,
    category text COLLATE "C" NOT NULL,
    point_id integer NOT NULL,
    n        integer NOT NULL
);

-- The months and categories that hold incidents, kept with agg: the API
-- asks for them on most requests, and they only ever grow.
CREATE TABLE months (
    month integer PRIMARY KEY
);
CREATE TABLE categories (
    category text COLLATE "C" PRIMARY KEY
);

-- Rejected input rows, by ingest run, so they can be found, fixed and
-- loaded again.
CREATE SEQUENCE import_run_seq;
CREATE TABLE rejects (
    run    bigint      NOT NULL,
    file   text        NOT NULL,
    line   integer     NOT NULL,
    reason text        NOT NULL,
    raw    text[]      NOT NULL,
    at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rejects_run_idx ON rejects (run);

-- Incidents with their point geometry and ward, for GIS clients (QGIS,
-- ogr2ogr) that read tables rather than the API.
CREATE VIEW incident_points AS
SELECT i.id,
       lpad((i.month / 12)::text, 4, '0') || '-' || lpad((i.month % 12 + 1)::text, 2, '0') AS month,
       i.reported_by, i.falls_within, i.location, i.lsoa_code, i.lsoa_name,
       i.category, i.outcome, i.context, p.ward_code, p.geom
FROM incidents i
LEFT JOIN points p ON p.id = i.point_id;
