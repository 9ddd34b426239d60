-- Hotspot, ward and series queries ask for one priority's categories over
-- some months: at national scale (10 million incidents, ~900,000 agg rows)
-- reading all of agg for that cost ~100 ms a query. This index lets them
-- read only the rows they count (an index-only scan), at the price of
-- maintaining it on import.
CREATE INDEX agg_category_month ON agg (category, month) INCLUDE (point_id, n);
