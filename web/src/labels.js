// Ward names on the map, as HTML markers (MapLibre's symbol layers would
// need a glyph server, and the map must work offline), and the ward a
// hexagon lies in, which the lists, details and print sheet name.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import * as store from './state/store.js';
import { bounds, inGeometry, ringCentre, labelPoint } from './geo.js';

// Ward names are hidden below this zoom, where they would overlap.
export const LABEL_MIN_ZOOM = 10.4;

// The names on the map, larger wards first: [{name, el, area, lngLat, marker}].
let labels = [];
// The ward codes the labels were made for: the same wards keep their labels.
let labelKey = '';
// h3 → ward name; cleared with the labels, when the wards change.
const wardOfCache = new Map();

/** updateLabels places the wards' names, unless they are placed already. */
export function updateLabels(map, wards) {
  const key = wards.features.map((f) => f.properties.code).join(',');
  if (key === labelKey) return;
  labelKey = key;
  wardOfCache.clear();
  for (const l of labels) l.marker.remove();
  labels = wards.features.filter((f) => f.geometry).map((f) => {
    const el = document.createElement('div');
    el.className = 'ward-label';
    el.textContent = f.properties.name;
    // The names are also in the lists; to a screen reader they are noise here.
    el.setAttribute('aria-hidden', 'true');
    const lngLat = labelPoint(f.geometry);
    return { name: f.properties.name, el, area: areaOf(f), lngLat, marker: new maplibregl.Marker({ element: el }).setLngLat(lngLat).addTo(map) };
  });
  // Larger wards keep their names when two collide.
  labels.sort((a, b) => b.area - a.area);
  map.once('render', () => requestAnimationFrame(declutterLabels));
}

/** areaOf is a feature's bounding-box area, enough to rank wards by size. */
export function areaOf(f) {
  const b = bounds([f]);
  return b ? (b[1][0] - b[0][0]) * (b[1][1] - b[0][1]) : 0;
}

/** declutterLabels hides ward names that would overlap a larger ward's. */
export function declutterLabels() {
  const kept = [];
  for (const l of labels) {
    l.el.classList.remove('collides');
    const r = l.el.getBoundingClientRect();
    const hit = kept.some((k) => r.left < k.right + 2 && r.right > k.left - 2 && r.top < k.bottom + 1 && r.bottom > k.top - 1);
    if (hit) l.el.classList.add('collides');
    else kept.push(r);
  }
}

/** wireLabels hides the names when zoomed out and declutters after a zoom. */
export function wireLabels(map) {
  const byZoom = () => map.getContainer().classList.toggle('labels-hidden', map.getZoom() < LABEL_MIN_ZOOM);
  map.on('zoom', byZoom);
  map.on('zoomend', declutterLabels);
  byZoom();
}

/** shownLabels are the names on screen at the map's zoom (for printing). */
export function shownLabels(map) {
  return map.getZoom() >= LABEL_MIN_ZOOM ? labels : [];
}

/** wardOf names the ward a hexagon's centre lies in. */
export function wardOf(f) {
  const h3 = f.properties.h3;
  if (!wardOfCache.has(h3)) {
    const c = f.geometry ? ringCentre(f.geometry.coordinates[0]) : null;
    const w = c && store.data().wards?.features.find((w) => inGeometry(c, w.geometry));
    wardOfCache.set(h3, w ? w.properties.name : '');
  }
  return wardOfCache.get(h3);
}
