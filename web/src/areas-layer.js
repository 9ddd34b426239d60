// Target areas on the map: each area's outline, a faint fill that a
// click can hit, and its name as an HTML marker (symbol layers would need
// a glyph server). Shown to partners and above; toggled in the side
// panel.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import { labelPoint } from './geo.js';

export const SRC = 'target-areas';
export const FILL = 'target-areas-fill';
const LINE = 'target-areas-line';
const PICKED = 'target-areas-picked';

let markers = [];

/** addAreaLayers puts the (empty) area layers on top of the map. */
export function addAreaLayers(map) {
  if (map.getSource(SRC)) return;
  const empty = { type: 'FeatureCollection', features: [] };
  map.addSource(SRC, { type: 'geojson', data: empty });
  map.addSource(PICKED, { type: 'geojson', data: empty });
  map.addLayer({ id: FILL, type: 'fill', source: SRC, paint: { 'fill-color': '#7a0177', 'fill-opacity': 0.06 } });
  map.addLayer({ id: LINE, type: 'line', source: SRC, paint: { 'line-color': '#7a0177', 'line-width': 2.5 } });
  map.addLayer({ id: PICKED, type: 'line', source: PICKED, paint: { 'line-color': '#1b7837', 'line-width': 3 } });
}

/** setAreas draws the areas (a FeatureCollection) and their names. */
export function setAreas(map, fc, visible) {
  map.getSource(SRC)?.setData(fc);
  for (const m of markers) m.remove();
  markers = [];
  for (const f of fc.features) {
    const at = f.geometry && labelPoint(f.geometry);
    if (!at) continue;
    const el = document.createElement('div');
    el.className = 'area-label';
    el.textContent = f.properties.name;
    el.setAttribute('aria-hidden', 'true');
    markers.push(new maplibregl.Marker({ element: el }).setLngLat(at).addTo(map));
  }
  showAreas(map, visible);
}

/** showAreas shows or hides the areas and their names. */
export function showAreas(map, on) {
  for (const id of [FILL, LINE]) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
  for (const m of markers) m.getElement().hidden = !on;
}

/** setPicked outlines the hexagons chosen for a new area. */
export function setPicked(map, features) {
  map.getSource(PICKED)?.setData({ type: 'FeatureCollection', features });
}
