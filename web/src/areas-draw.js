// A simple polygon tool: click the corners, double-click (or click the
// first corner) to finish, Escape to give up. The corners are drawn as
// the planner places them, with a line to the pointer.

const SRC = 'area-draft';
const LINE = 'area-draft-line';
const DOTS = 'area-draft-dots';

function show(map, pts, hover) {
  const line = hover ? [...pts, hover] : pts;
  const features = pts.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: {} }));
  if (line.length > 1) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: line }, properties: {} });
  map.getSource(SRC)?.setData({ type: 'FeatureCollection', features });
}

function addLayers(map) {
  map.addSource(SRC, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({ id: LINE, type: 'line', source: SRC, paint: { 'line-color': '#7a0177', 'line-width': 2, 'line-dasharray': [2, 1] } });
  map.addLayer({ id: DOTS, type: 'circle', source: SRC, filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 4, 'circle-color': '#ffffff', 'circle-stroke-color': '#7a0177', 'circle-stroke-width': 2 } });
}

function removeLayers(map) {
  for (const id of [DOTS, LINE]) if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(SRC)) map.removeSource(SRC);
}

/** near reports whether two map points are within a few pixels. */
function near(map, a, b, px = 6) {
  const [p, q] = [map.project(a), map.project(b)];
  return Math.hypot(p.x - q.x, p.y - q.y) <= px;
}

/**
 * drawPolygon lets the planner draw one polygon and resolves to its
 * closed ring ([lon, lat] corners, the first repeated last), or null when
 * given up. onHint says what to do next, in words.
 */
export function drawPolygon(map, onHint = () => {}) {
  return new Promise((resolve) => {
    const pts = [];
    addLayers(map);
    map.doubleClickZoom.disable();
    map.getCanvas().style.cursor = 'crosshair';
    onHint('Click the corners of the area; double-click to finish, Escape to stop.');
    const done = (ring) => {
      map.off('click', click);
      map.off('dblclick', dbl);
      map.off('mousemove', move);
      window.removeEventListener('keydown', key);
      removeLayers(map);
      map.getCanvas().style.cursor = '';
      // The double-click that finished must not zoom.
      setTimeout(() => map.doubleClickZoom.enable(), 0);
      resolve(ring);
    };
    const finish = () => {
      if (pts.length < 3) {
        onHint('An area needs at least three corners: keep clicking, or press Escape.');
        return;
      }
      done([...pts, pts[0]]);
    };
    const click = (e) => {
      const p = [e.lngLat.lng, e.lngLat.lat];
      if (pts.length >= 3 && near(map, p, pts[0])) return finish();
      if (pts.length && near(map, p, pts[pts.length - 1])) return; // the second click of a double-click
      pts.push(p);
      show(map, pts);
    };
    const dbl = (e) => {
      e.preventDefault();
      finish();
    };
    const move = (e) => show(map, pts, pts.length ? [e.lngLat.lng, e.lngLat.lat] : null);
    const key = (e) => {
      if (e.key === 'Escape') done(null);
    };
    map.on('click', click);
    map.on('dblclick', dbl);
    map.on('mousemove', move);
    window.addEventListener('keydown', key);
  });
}
