// Small planar geometry on GeoJSON coordinates (the city spans a few
// kilometres, so longitude/latitude can be treated as flat here): bounds,
// point in polygon, and a label point inside each ward.

/** polygonsOf lists a Polygon's or MultiPolygon's polygons (rings). */
export function polygonsOf(geom) {
  if (!geom) return [];
  if (geom.type === 'Polygon') return [geom.coordinates];
  if (geom.type === 'MultiPolygon') return geom.coordinates;
  return [];
}

/** bounds returns [[minLon, minLat], [maxLon, maxLat]] of features' geometry. */
export function bounds(features) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const visit = (c) => {
    if (typeof c[0] === 'number') {
      x0 = Math.min(x0, c[0]); y0 = Math.min(y0, c[1]);
      x1 = Math.max(x1, c[0]); y1 = Math.max(y1, c[1]);
    } else c.forEach(visit);
  };
  for (const f of features) if (f.geometry) visit(f.geometry.coordinates);
  return Number.isFinite(x0) ? [[x0, y0], [x1, y1]] : null;
}

function inRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** inPolygon tests a point against a polygon with holes. */
export function inPolygon(pt, rings) {
  return inRing(pt, rings[0]) && !rings.slice(1).some((h) => inRing(pt, h));
}

export function inGeometry(pt, geom) {
  return polygonsOf(geom).some((p) => inPolygon(pt, p));
}

/** centre of a ring: the mean of its distinct vertices (exact for a hexagon). */
export function ringCentre(ring) {
  const n = ring.length - 1;
  let x = 0, y = 0;
  for (let i = 0; i < n; i++) { x += ring[i][0]; y += ring[i][1]; }
  return [x / n, y / n];
}

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(a / 2);
}

function segDist2([px, py], [ax, ay], [bx, by]) {
  let dx = bx - ax, dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)) : 0;
  dx = ax + t * dx - px; dy = ay + t * dy - py;
  return dx * dx + dy * dy;
}

/**
 * labelPoint finds a point well inside the largest polygon of a ward: the
 * best of a grid of candidates by distance to the edge, refined once. A
 * centroid can fall outside a concave ward; this cannot.
 */
export function labelPoint(geom) {
  const polys = polygonsOf(geom);
  if (polys.length === 0) return null;
  const poly = polys.reduce((a, b) => (ringArea(b[0]) > ringArea(a[0]) ? b : a));
  const edgeDist = (pt) => {
    let d = Infinity;
    for (const ring of poly) for (let i = 1; i < ring.length; i++) d = Math.min(d, segDist2(pt, ring[i - 1], ring[i]));
    return d;
  };
  const [[x0, y0], [x1, y1]] = bounds([{ geometry: { coordinates: poly } }]);
  let best = null, bestD = -1;
  const search = (cx0, cy0, cx1, cy1, n) => {
    for (let i = 0; i <= n; i++) {
      for (let j = 0; j <= n; j++) {
        const pt = [cx0 + ((cx1 - cx0) * i) / n, cy0 + ((cy1 - cy0) * j) / n];
        if (!inPolygon(pt, poly)) continue;
        const d = edgeDist(pt);
        if (d > bestD) { bestD = d; best = pt; }
      }
    }
  };
  search(x0, y0, x1, y1, 16);
  if (!best) return ringCentre(poly[0]);
  const sx = (x1 - x0) / 16, sy = (y1 - y0) / 16;
  search(best[0] - sx, best[1] - sy, best[0] + sx, best[1] + sy, 8);
  return best;
}
