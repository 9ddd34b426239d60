// The premises register on the map: a point per premises, coloured by
// kind and sized by its records for the filters on show, a withheld count
// drawn hollow (never as a small one), and the ring round the places a
// premises or offender list entry shows. Added to the map when first
// needed, so that a public map never holds them.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import { escapeHTML } from './format.js';
import { PREMISES_KIND, PREMISES_OTHER, REPEAT } from './palette.js';
import { kindWords, premisesCount } from './premises-words.js';

export const PREMISES_POINTS = 'premises-points';
export const PREMISES_RING = 'premises-ring';
const EMPTY = { type: 'FeatureCollection', features: [] };

const COLOR = ['match', ['get', 'kind'], ...Object.entries(PREMISES_KIND).flat(), PREMISES_OTHER];
// Area grows with the count, as on the map points layer; a withheld
// count (-1) is a fixed hollow circle.
const RADIUS = ['case', ['<', ['get', 'count'], 0], 6, ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 0, 3, 1, 4, 5, 9, 25, 24]];
const WITHHELD = ['<', ['get', 'count'], 0];

let popup = null;

/** ensurePremisesLayers adds the sources and layers once. */
function ensure(map) {
  if (map.getSource('premises')) return;
  map.addSource('premises', { type: 'geojson', data: EMPTY });
  map.addSource('premises-ring', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: PREMISES_POINTS, type: 'circle', source: 'premises', layout: { visibility: 'none' },
    paint: {
      'circle-color': ['case', WITHHELD, '#ffffff', COLOR],
      'circle-opacity': ['case', WITHHELD, 0.9, 0.75],
      'circle-radius': RADIUS,
      'circle-stroke-color': ['case', WITHHELD, COLOR, '#ffffff'],
      'circle-stroke-width': ['case', WITHHELD, 2.5, 1],
    },
  });
  map.addLayer({
    id: PREMISES_RING, type: 'circle', source: 'premises-ring',
    paint: { 'circle-color': REPEAT, 'circle-opacity': 0.3, 'circle-radius': 13, 'circle-stroke-color': REPEAT, 'circle-stroke-width': 3 },
  });
}

/**
 * showPremises puts the premises on the map (fc null: hides them), keeps
 * the kinds chosen (none: every kind) and shows or hides the layer.
 */
export function showPremises(map, fc, kinds, visible) {
  ensure(map);
  if (fc) map.getSource('premises').setData(fc);
  map.setFilter(PREMISES_POINTS, kinds.length ? ['in', ['get', 'kind'], ['literal', kinds]] : null);
  map.setLayoutProperty(PREMISES_POINTS, 'visibility', visible ? 'visible' : 'none');
  if (!visible) popup?.remove();
}

/** ringPlaces rings points ([lon, lat] each) and brings them into view; none clears. */
export function ringPlaces(map, points) {
  ensure(map);
  map.getSource('premises-ring').setData({
    type: 'FeatureCollection',
    features: points.map((c) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: {} })),
  });
  if (points.length === 1) map.flyTo({ center: points[0], zoom: Math.max(map.getZoom(), 15.5), duration: 800 });
  else if (points.length > 1) {
    const lons = points.map((c) => c[0]), lats = points.map((c) => c[1]);
    map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 60, maxZoom: 16, duration: 800 });
  }
}

/**
 * premisesClick opens the premises under a click, if any: name, kind,
 * count and period. It returns whether it did, so that the map's own
 * click (cells, wards) leaves it alone.
 */
export function premisesClick(map, e, period, below) {
  if (!map.getLayer(PREMISES_POINTS) || map.getLayoutProperty(PREMISES_POINTS, 'visibility') !== 'visible') return false;
  const f = map.queryRenderedFeatures(e.point, { layers: [PREMISES_POINTS] })[0];
  if (!f) return false;
  const p = f.properties;
  popup?.remove();
  popup = new maplibregl.Popup({ closeButton: true, maxWidth: '280px' })
    .setLngLat(f.geometry.coordinates)
    .setHTML(`<div class="premises-popup" data-testid="premises-popup"><strong>${escapeHTML(p.name)}</strong><br>${escapeHTML(kindWords(p.kind))}<br>${escapeHTML(premisesCount({ ...p, count: p.suppressed ? null : p.count }, below))}, ${escapeHTML(period)}</div>`)
    .addTo(map);
  return true;
}
