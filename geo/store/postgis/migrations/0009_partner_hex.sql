-- Partner records as the hex layer counts them (issue 13).
--
-- Its counts and top locations (CellTallies) came from partner_incidents
-- joined to points. With a point per record, as geocoded logs have, that
-- join read a random page of points for nearly every record, and points
-- is then five times the size of police.uk's (248 MB at 1 million
-- records): seconds on a cold cache. partner_hex holds what the count
-- reads of each located record, its point's cells and ward beside its
-- filter columns, so no join is made; hod (weekday × 24 + hour, Monday
-- 00:00 first) and flags lead its index, so a days, hours or flag filter
-- reads only the rows of its hours of the week and flag sets (the query
-- names both as lists), and rows are written in that order, which keeps
-- a filter's rows on few pages.
--
-- The importer adds a partner run's rows in the run's transaction, after
-- its new points have their wards; a new ward boundary re-assigns
-- ward_code here as it does on points (by point_id).
--
-- A store made before this migration gets its rows here, from its
-- partner records (about 10 s per million on a busy machine).
SET LOCAL statement_timeout = 0;
SET LOCAL work_mem = '256MB';

CREATE TABLE partner_hex (
    hod       smallint NOT NULL,
    month     integer NOT NULL,
    flags     smallint NOT NULL,
    source    text COLLATE "C" NOT NULL,
    category  text COLLATE "C" NOT NULL,
    location  text NOT NULL,
    point_id  integer NOT NULL,
    ward_code text COLLATE "C",
    h3_r6     bigint NOT NULL,
    h3_r7     bigint NOT NULL,
    h3_r8     bigint NOT NULL,
    h3_r9     bigint NOT NULL,
    h3_r10    bigint NOT NULL
);

INSERT INTO partner_hex (hod, month, flags, source, category, location, point_id, ward_code, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10)
SELECT i.dow * 24 + i.hour, i.month, i.flags, i.source, i.category, i.location, i.point_id, p.ward_code,
       p.h3_r6, p.h3_r7, p.h3_r8, p.h3_r9, p.h3_r10
FROM partner_incidents i
JOIN points p ON p.id = i.point_id
ORDER BY 1, 3, 2;

CREATE INDEX partner_hex_hod_flags_month ON partner_hex (hod, flags, month);
CREATE INDEX partner_hex_point ON partner_hex (point_id);
ANALYZE partner_hex;
