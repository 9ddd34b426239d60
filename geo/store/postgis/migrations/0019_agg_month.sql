-- Incident counts per month × category (issue 16, speed): an incident
-- list's total, and the months an offset skips, summed agg over every
-- map point of the country for a list with no ward or box (20 M national
-- incidents: 1.0 s, counted again for each new filter); these are a few
-- hundred rows. Every import adds its new incidents' counts in its own
-- transaction (aggregates.go), as it does to agg. These are only ever
-- added to, so agg is locked against writers first: an import by an
-- older binary still running commits before the totals are read, or
-- waits for them.
SET LOCAL statement_timeout = 0;
LOCK TABLE agg IN SHARE MODE;

CREATE TABLE agg_month (
    month    integer NOT NULL,
    category text COLLATE "C" NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (month, category)
);

INSERT INTO agg_month (month, category, n)
SELECT month, category, sum(n) FROM agg GROUP BY 1, 2;

ANALYZE agg_month;
