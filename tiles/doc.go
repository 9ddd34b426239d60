// Package tiles encodes the map layers as Mapbox Vector Tiles, one layer per
// tile, plus the TileJSON that describes each layer. The layers — their
// properties, geometry and the order a full tile keeps — are declared once
// in geo/layer and listed in docs/architecture.md, with the zoom → H3
// resolution table that ResForZoom implements. It knows nothing of HTTP;
// the api package mounts and caches it.
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
// Features are written in their answer's order (hex by cell index, wards
// by code, incidents by month then id) so that the same input always gives
// the same bytes and tiles can be cached and compared.
//
// # Hex resolution by zoom
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
// the input's winding. Layers that allow it (ward outlines) are simplified
// with Douglas–Peucker at half a pixel of the 512-px tile, which is at most
// one screen pixel at any zoom MapLibre draws the tile at; a ward or
// island that would vanish is kept as drawn, or, when smaller than a tile
// unit, as a one-unit square, so that no ward disappears from a tile that
// covers it.
package tiles
