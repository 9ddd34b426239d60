-- Point tallies (top locations, repeat locations, outcomes) need each
-- point's Location and outcome texts. Read from incidents they cost a scan
-- of every incident (1.5 s at 10 million); these aggregates give them the
-- way agg gives counts.
--
-- A store made before this migration gets them from its incidents here,
-- in one pass: ~40 s at 10 million incidents, so the serving timeout is
-- lifted for it, and enough memory is given for the grouping to stay off
-- disk.
SET LOCAL statement_timeout = 0;
SET LOCAL work_mem = '256MB';

-- Every Location and outcome text of a located incident, once. agg_text
-- holds their ids: rows of integers are half the size of rows of text,
-- and group twice as fast (violence over 12 months at 10 million: 200
-- against 400 ms). Texts are only ever added, by the importer under its
-- lock.
CREATE TABLE texts (
    id   serial PRIMARY KEY,
    text text COLLATE "C" NOT NULL UNIQUE
);

-- Located incident counts per month × category × point × Location text ×
-- outcome text (ids in texts), maintained by every import as agg is, and
-- unique in the same way. Incidents without location are left out: no
-- tally counts them. Points keep their ids when boundaries are loaded
-- again, so re-assigning wards leaves these rows as they are.
CREATE TABLE agg_text (
    month    integer NOT NULL,
    category text COLLATE "C" NOT NULL,
    point_id integer NOT NULL,
    location integer NOT NULL,
    outcome  integer NOT NULL,
    n        integer NOT NULL
);

CREATE TEMP TABLE m_agg_text ON COMMIT DROP AS
SELECT month, category, point_id, location COLLATE "C" AS location, outcome COLLATE "C" AS outcome, count(*)::integer AS n
FROM incidents
WHERE point_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO texts (text)
SELECT location FROM m_agg_text UNION SELECT outcome FROM m_agg_text
ORDER BY 1;

INSERT INTO agg_text (month, category, point_id, location, outcome, n)
SELECT m.month, m.category, m.point_id, l.id, o.id, m.n
FROM m_agg_text m
JOIN texts l ON l.text = m.location
JOIN texts o ON o.text = m.outcome
ORDER BY m.category, m.month;

-- Tallies are asked for one priority's categories over some months, as
-- the counts are (migration 0002): the index serves them alone.
CREATE INDEX agg_text_category_month ON agg_text (category, month) INCLUDE (point_id, location, outcome, n);

-- Statistics now, so the first tallies are planned on them; the vacuum
-- that lets them scan the index alone cannot run in a transaction, and is
-- left to autovacuum (which new rows trigger) or the next import.
ANALYZE agg_text;
ANALYZE texts;
