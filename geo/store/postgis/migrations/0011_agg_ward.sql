-- Aggregates by ward (issue 16, speed): counts per month × category ×
-- ward, and the ward of each text count's point.
--
-- Ward answers summed agg over every point of the country and joined each
-- row to its point for the ward: at national shape (7,000 wards, 700,000
-- map points) that read ~1 M agg rows for one category and year, seconds
-- a request. These counts are agg summed by the ward of each point, a row
-- per ward rather than per point, so the same answer reads ~100 times
-- fewer rows. Every import keeps them (wards.go): a run's counts are added
-- through its points' wards, and new ward boundaries rebuild them.
--
-- A store made before this migration gets them from agg here, in one
-- grouping pass, and agg_text is copied once with its points' wards (no
-- incidents are read).
SET LOCAL statement_timeout = 0;
SET LOCAL work_mem = '256MB';

CREATE TABLE agg_ward (
    month     integer NOT NULL,
    category  text COLLATE "C" NOT NULL,
    ward_code text COLLATE "C" NOT NULL,
    n         bigint NOT NULL
);

INSERT INTO agg_ward (month, category, ward_code, n)
SELECT a.month, a.category, p.ward_code, sum(a.n)
FROM agg a
JOIN points p ON p.id = a.point_id
WHERE p.ward_code IS NOT NULL
GROUP BY 1, 2, 3
ORDER BY 2, 1, 3;

-- Ward answers ask for one priority's categories over some months, as
-- the counts by point do (migration 0002).
CREATE INDEX agg_ward_category_month ON agg_ward (category, month) INCLUDE (ward_code, n);

ANALYZE agg_ward;

-- Point tallies limited to wards (a priority over one city's wards, say)
-- read agg_text for every point of the country and kept the city's: at
-- national shape, seconds. Each row now carries its point's ward (the
-- importer writes it, and moves it when wards change), and an index by
-- category and ward hands over only the rows of the wards asked for.
-- agg_text is made again rather than updated in place, which would
-- rewrite every row and index entry twice over.
ALTER TABLE agg_text RENAME TO agg_text_0010;
CREATE TABLE agg_text (
    month     integer NOT NULL,
    category  text COLLATE "C" NOT NULL,
    point_id  integer NOT NULL,
    location  integer NOT NULL,
    outcome   integer NOT NULL,
    n         integer NOT NULL,
    ward_code text COLLATE "C" -- the point's; NULL outside every ward
);
INSERT INTO agg_text (month, category, point_id, location, outcome, n, ward_code)
SELECT a.month, a.category, a.point_id, a.location, a.outcome, a.n, p.ward_code
FROM agg_text_0010 a
LEFT JOIN points p ON p.id = a.point_id
ORDER BY a.category, a.month;
DROP TABLE agg_text_0010;
CREATE INDEX agg_text_category_month ON agg_text (category, month) INCLUDE (point_id, location, outcome, n);
CREATE INDEX agg_text_category_ward ON agg_text (category, ward_code, month) INCLUDE (point_id, location, outcome, n)
    WHERE ward_code IS NOT NULL;
ANALYZE agg_text;
