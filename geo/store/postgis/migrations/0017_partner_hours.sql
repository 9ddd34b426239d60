-- Partner records counted by hour of the week (issue 13, speed): the day
-- × hour matrix of a whole area was one scan of partner_hex (a year of
-- 1 M records: 170 ms); these counts, by source, category, month, flag
-- set, hour of the week and whether the record lies in a ward (the
-- counted rule, when wards are stored), are some 50,000 rows for those
-- records. The importer adds a partner run's counts in its transaction
-- and counts again from partner_hex when wards change. A matrix for one
-- ward, cell or priority area still reads partner_hex.
SET LOCAL statement_timeout = 0;
SET LOCAL work_mem = '256MB';

CREATE TABLE partner_hours (
    source   text COLLATE "C" NOT NULL,
    category text COLLATE "C" NOT NULL,
    month    integer NOT NULL,
    flags    smallint NOT NULL,
    hod      smallint NOT NULL,
    in_ward  boolean NOT NULL,
    n        integer NOT NULL,
    PRIMARY KEY (source, category, month, flags, hod, in_ward)
);

INSERT INTO partner_hours (source, category, month, flags, hod, in_ward, n)
SELECT source, category, month, flags, hod, ward_code IS NOT NULL, count(*)
FROM partner_hex
GROUP BY 1, 2, 3, 4, 5, 6;
ANALYZE partner_hours;
