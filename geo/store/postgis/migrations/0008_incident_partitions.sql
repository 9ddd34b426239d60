-- Incidents partitioned by month (issue 16).
--
-- The primary key on random 64-hex-digit ids was most of an import's time
-- at national scale: every COPY row went into a random place of a B-tree
-- larger than shared buffers. Now:
--
-- * each month is a partition (incidents_YYYY_MM), so a query for some
--   months reads only theirs and an old month can be detached;
-- * the importer makes a new month's partition as a table of its own,
--   copies into it without indexes, and attaches it at the end of its
--   transaction, which builds the partition's indexes by sorting: much
--   cheaper than keeping them up row by row;
-- * id is found through key, the first 64 bits of md5(id) (the importer
--   computes the same in Go): an index of bigints, a quarter of the size
--   of one of ids. Two ids may share a key, so lookups always compare id
--   too. An id is unique across all months; a partitioned table cannot
--   enforce that (a unique index must include month), so the importer
--   does, under its lock, as it keeps agg's keys unique.
--
-- A store made before this migration has its incidents moved across here,
-- in one transaction (~1 min per 10 million incidents).
SET LOCAL statement_timeout = 0;
SET LOCAL maintenance_work_mem = '256MB';

-- Indexes added to incidents by earlier migrations (besides its primary
-- key) are made again on the partitioned table, so that whatever they
-- serve keeps being served.
CREATE TEMP TABLE m_incident_indexes ON COMMIT DROP AS
SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = 'incidents'::regclass AND NOT i.indisprimary;

DROP VIEW incident_points;
ALTER TABLE incidents RENAME TO incidents_unpartitioned;

CREATE TABLE incidents (
    id           text COLLATE "C" NOT NULL,
    month        integer NOT NULL, -- geo.Month: year*12 + month-1
    reported_by  text NOT NULL,
    falls_within text NOT NULL,
    location     text NOT NULL,
    lsoa_code    text NOT NULL,
    lsoa_name    text NOT NULL,
    category     text COLLATE "C" NOT NULL,
    outcome      text NOT NULL,
    context      text NOT NULL,
    point_id     integer,
    key          bigint NOT NULL -- first 64 bits of md5(id), big-endian
) PARTITION BY RANGE (month);

DO $$
DECLARE
    m integer;
BEGIN
    FOR m IN SELECT DISTINCT month FROM incidents_unpartitioned ORDER BY 1 LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF incidents FOR VALUES FROM (%s) TO (%s)',
            format('incidents_%s_%s', lpad((m / 12)::text, 4, '0'), lpad((m % 12 + 1)::text, 2, '0')), m, m + 1);
    END LOOP;
END
$$;

INSERT INTO incidents (id, month, reported_by, falls_within, location, lsoa_code, lsoa_name, category, outcome, context, point_id, key)
SELECT id, month, reported_by, falls_within, location, lsoa_code, lsoa_name, category, outcome, context, point_id,
       ('x' || substr(md5(id), 1, 16))::bit(64)::bigint
FROM incidents_unpartitioned
ORDER BY month, id;

DROP TABLE incidents_unpartitioned;

-- Built now that the rows are in, on every partition; a partition the
-- importer attaches gets them built then.
CREATE INDEX incidents_key ON incidents (key);
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT name, def FROM m_incident_indexes LOOP
        EXECUTE r.def;
    END LOOP;
    -- Pages follow month, then id: unless an index of an earlier
    -- migration serves that order already, this one does.
    -- (Its key columns lead with month, id; it may INCLUDE others.)
    IF NOT EXISTS (SELECT 1 FROM pg_index WHERE indrelid = 'incidents'::regclass
                   AND (indkey::text = '2 1' OR indkey::text LIKE '2 1 %')) THEN
        CREATE INDEX incidents_month_id ON incidents (month, id);
    END IF;
END
$$;

CREATE VIEW incident_points AS
SELECT i.id,
       lpad((i.month / 12)::text, 4, '0') || '-' || lpad((i.month % 12 + 1)::text, 2, '0') AS month,
       i.reported_by, i.falls_within, i.location, i.lsoa_code, i.lsoa_name,
       i.category, i.outcome, i.context, p.ward_code, p.geom
FROM incidents i
LEFT JOIN points p ON p.id = i.point_id;

ANALYZE incidents;
