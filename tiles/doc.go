// Package tiles encodes the map layers as Mapbox Vector Tiles: the hex
// hotspots, the wards and the incident points, one layer per tile, plus the
// TileJSON that describes each layer and a byte-budgeted cache for encoded
// tiles. It knows nothing of HTTP; the api package mounts it.
//
// # Layers
//
// Each tile holds exactly one layer, named after what it shows:
//
//	layer      geometry  properties
//	hex        polygon   h3 (string), count (int), gi_z, gi_p (float, left out
//	                     where Gi* is undefined), gi_bin (int, FDR bin −3…3)
//	wards      polygon   code, name (string), count (int), population (int,
//	                     left out when unknown), rate_per_1000 (float, left out
//	                     when unknown), prev_count (int), change_pct (float,
//	                     left out when prev_count is 0)
//	incidents  point     id, month (YYYY-MM), category, location, outcome
//	                     (string), ward, ward_name (string, left out outside
//	                     every ward)
//
// Figures that the JSON API gives as null are left out of a feature rather
// than encoded: MVT has no null value and orb's encoder rejects nil. A tile
// with nothing in it is still a valid tile holding the layer with no
// features, so that every client (GDAL included) can open any tile the
// server returns.
//
// Features carry no MVT id: H3 indexes exceed the 2^53 that JavaScript
// numbers hold exactly and incident ids are not numbers. Clients that need
// feature state use MapLibre's promoteId with h3, code or id.
//
// Features are written in a fixed order (hex by cell index, which orders
// the same as the h3 text; wards by code; incidents by month then id) so
// that the same input always gives the same bytes and tiles can be cached
// and compared.
//
// # Hex resolution by zoom
//
// A hex tile at zoom z uses the H3 resolution ResForZoom(z) unless the
// request names one:
//
//	zoom    resolution  hexagon across, in px of a 512-px tile at 52.6° N
//	0–8     6           35 px at z8, less below (the city is then a speck)
//	9       7           26–53 px
//	10–11   8           20–79 px
//	12      9           30–60 px
//	13–18   10          23 px at z13, doubling with each zoom
//
// (From H3's average edge lengths; Leicester's own cells measure about 5%
// smaller. A range runs from the tile's zoom to just below the next,
// where MapLibre still draws this tile, scaled up.)
//
// The rule is the finest served resolution whose hexagon stays at least
// about 20 px across at the tile's zoom when MapLibre draws it at its
// default 512-px tile size, which is still about 10 px for clients that
// use 256-px tiles (they show a zoom-z tile at half the size). Finer cells
// would turn the map into noise and make Gi* rest on counts of one or two;
// coarser ones would hide the street-level pattern. Because each step in
// resolution shrinks a hexagon about 2.6 times and each zoom doubles the
// scale, a tile under this table holds at most about a thousand cells at
// any zoom, which bounds its encoding time.
//
// # Geometry
//
// Geometry is projected to tile coordinates, clipped to the tile plus a
// buffer, and written as MVT version 2: exterior rings have positive area
// in tile coordinates (clockwise on screen) and holes negative, whatever
// the input's winding. Ward outlines are simplified with Douglas–Peucker
// at half a pixel of the 512-px tile, which is at most one screen pixel at
// any zoom MapLibre draws the tile at; a ward or island that would
// vanish is kept as drawn, or, when smaller than a tile unit, as a
// one-unit square, so that no ward disappears from a tile that covers it.
package tiles
