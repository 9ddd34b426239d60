-- Incident counts per month × category × ward (issue 16, speed).
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
-- grouping pass (no incidents are read).
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
