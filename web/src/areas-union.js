// The union of H3 cells as a MultiPolygon: the outline of a group of
// chosen hexagons, for a target area made from hot spots. Neighbouring
// cells share whole edges, so the union's boundary is every cell edge
// that no other chosen cell has (walked the other way round), chained
// into rings. Rings that turn anticlockwise are outlines, clockwise ones
// holes (RFC 7946), each hole in the outline that holds it.

const key = (p) => `${p[0].toFixed(9)},${p[1].toFixed(9)}`;

function signedArea(ring) {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a / 2;
}

function closed(ring) {
  const [f, l] = [ring[0], ring[ring.length - 1]];
  return f[0] === l[0] && f[1] === l[1] ? ring : [...ring, f];
}

/** outerEdges keeps the directed edges of the cells (each turned
 * anticlockwise) that no neighbour shares, by their start vertex. */
function outerEdges(cells) {
  const edges = new Map(); // "a|b" → [a, b]
  for (const cell of cells) {
    let ring = closed(cell);
    if (signedArea(ring) < 0) ring = [...ring].reverse();
    for (let i = 0; i + 1 < ring.length; i++) {
      const [a, b] = [ring[i], ring[i + 1]];
      const back = `${key(b)}|${key(a)}`;
      if (edges.has(back)) edges.delete(back);
      else edges.set(`${key(a)}|${key(b)}`, [a, b]);
    }
  }
  const from = new Map();
  for (const [a, b] of edges.values()) {
    const k = key(a);
    if (!from.has(k)) from.set(k, []);
    from.get(k).push([a, b]);
  }
  return from;
}

function chain(from) {
  const rings = [];
  for (const [start, list] of from) {
    while (list.length) {
      const ring = [list[0][0]];
      let [, at] = list.shift();
      let guard = 0;
      while (key(at) !== start && guard++ < 1e6) {
        ring.push(at);
        const next = from.get(key(at));
        if (!next?.length) return null; // not closed: the cells were not a clean set
        at = next.shift()[1];
      }
      ring.push(ring[0]);
      rings.push(ring);
    }
  }
  return rings;
}

function inRing(pt, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > pt[1]) !== (yj > pt[1]) && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * unionCells returns the MultiPolygon coordinates of the union of cells
 * (each a ring of [lon, lat]), or null when there are none.
 */
export function unionCells(cells) {
  if (!cells.length) return null;
  const rings = chain(outerEdges(cells));
  if (!rings) return null;
  const outers = rings.filter((r) => signedArea(r) > 0).map((r) => [r]);
  for (const hole of rings.filter((r) => signedArea(r) < 0)) {
    const host = outers.find((p) => inRing(hole[1], p[0]));
    if (host) host.push(hole);
  }
  return outers;
}
