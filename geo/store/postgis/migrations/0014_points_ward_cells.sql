-- Map points by ward, with their cells (issue 16, speed): hex answers
-- over some wards (a priority over one city) read agg_text by ward
-- (migration 0011) and then needed each row's cell from points. Joined,
-- the planner scanned all of points (700,000 at national shape) for the
-- city's 30,000; looked up one by one, each row paid a primary-key probe.
-- This index hands over the named wards' points with every cell column,
-- index-only, to be hashed against the agg_text rows (national shape,
-- one city: ~640 ms to ~140 ms on a busy machine).
CREATE INDEX points_ward_cells ON points (ward_code)
    INCLUDE (id, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10)
    WHERE ward_code IS NOT NULL;
