-- Incident pages (DESIGN.md, "Keyset pages") read a month's incidents in
-- ID order from a key or an offset: this index hands them over in that
-- order, so a page costs its own rows at any depth rather than a sort of
-- every incident before it. category and point_id ride along so that the
-- filters (categories, area, box) are checked on the index before any
-- row is read.
--
-- Incident tiles and boxes ask for the incidents at the few points of a
-- small area: the points' GiST index finds those, and the second index
-- their incidents, month by month, without a walk over the month. It
-- carries every column a tile shows, so that a dense tile is read from
-- the index alone: its rows lie one to a heap page, and reading 20,000
-- heap pages cost a z14 tile seconds.
SET LOCAL statement_timeout = 0;
SET LOCAL maintenance_work_mem = '256MB';

CREATE INDEX incidents_month_id ON incidents (month, id) INCLUDE (category, point_id);
CREATE INDEX incidents_point_month ON incidents (point_id, month, id) INCLUDE (category, location, outcome);

ANALYZE incidents;
