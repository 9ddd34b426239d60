-- Running totals by ward (issue 16, speed): for each category and ward,
-- the counts of agg_ward summed month by month from the pair's first
-- month, so that a window's count is the total at its last month less
-- the total before its first: a ward answer reads one row per ward and
-- category instead of one per month (at national shape, 7,000 rows for
-- a year of ASB rather than 82,000, and the same for three years).
--
-- cum[i] is the count of months first_month … first_month + i - 1; past
-- the array's end the total stays at its last element (no later months
-- hold incidents of the pair). Every import that changes agg_ward makes
-- these again from it in its own transaction (wards.go). An import by an
-- older binary that committed while this ran would not be in them until
-- the next import, so agg_ward is locked against writers first (binaries
-- older than this migration refuse the store afterwards).
SET LOCAL statement_timeout = 0;
SET LOCAL work_mem = '256MB';
LOCK TABLE agg_ward IN SHARE MODE;

CREATE TABLE agg_ward_run (
    category    text COLLATE "C" NOT NULL,
    ward_code   text COLLATE "C" NOT NULL,
    first_month integer NOT NULL,
    cum         bigint[] NOT NULL,
    PRIMARY KEY (category, ward_code)
);

INSERT INTO agg_ward_run (category, ward_code, first_month, cum)
SELECT category, ward_code, min(m), array_agg(c ORDER BY m)
FROM (
	-- Each month's running total stands for the months up to the
	-- pair's next month with incidents, so the arrays have no gaps.
	SELECT r.category, r.ward_code, g.m, r.c
	FROM (
		SELECT category, ward_code, month, (sum(n) OVER w)::bigint AS c, lead(month) OVER w AS next
		FROM agg_ward
		WINDOW w AS (PARTITION BY category, ward_code ORDER BY month)
	) r
	CROSS JOIN LATERAL generate_series(r.month, coalesce(r.next - 1, r.month)) AS g(m)
) s
GROUP BY 1, 2;

ANALYZE agg_ward_run;
