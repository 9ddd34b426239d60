// The point layers (incidents and police.uk map points) and the change
// layer: their map layers and how each is drawn and explained in the
// legend. The point layers sit under the basemap's place labels, so
// that a busy centre keeps its street names readable.

import * as palette from './palette.js';
import { int } from './format.js';

export const CLUSTERS = 'incident-clusters';
export const CLUSTER_COUNTS = 'incident-cluster-counts';
export const POINTS = 'incident-points';
export const MAP_POINTS = 'map-points';
export const CHANGE_FILL = 'change-fill';

// The basemap's own font (served by hotspot with its glyphs).
const FONT = ['Noto Sans Medium'];

// Circle radius by count: area grows with the count, so a point with four
// times the incidents looks four times as big, not sixteen.
const POINT_RADIUS = ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 3.5, 5, 9, 20, 26];

/** The sources of these layers, with the first data when there are any. */
export function overlaySources(data, empty) {
  return {
    // Cells, cut into tiles to zoom 12 only, as the hex source is.
    change: { type: 'geojson', data: data.change ?? empty, buffer: 16, maxzoom: 12 },
    incidents: { type: 'geojson', data: data.incidents ?? empty, cluster: true, clusterRadius: 45, clusterMaxZoom: 15 },
    points: { type: 'geojson', data: data.points ?? empty },
  };
}

/** The cell layer of significant change, drawn with the hex fills. */
export function changeLayer(over) {
  return {
    id: CHANGE_FILL, type: 'fill', source: 'change', layout: { visibility: 'none' },
    // Only significant rises and falls carry colour; the rest stay clear.
    filter: ['!=', ['get', 'change_bin'], 0],
    paint: {
      'fill-color': ['match', ['get', 'change_bin'], ...[3, 2, 1, -1, -2, -3].flatMap((b) => [b, palette.CHANGE_BIN[b]]), palette.CHANGE_BIN[0]],
      'fill-opacity': 0.85 * over,
      'fill-outline-color': 'rgba(255,255,255,0.8)',
    },
  };
}

/**
 * pointLayers are the incident clusters (with their counts when the style
 * has glyphs: a local basemap brings them) and the map points, sized by
 * the incidents at each.
 */
export function pointLayers(hasGlyphs) {
  const hidden = { visibility: 'none' };
  const out = [
    {
      id: CLUSTERS, type: 'circle', source: 'incidents', filter: ['has', 'point_count'], layout: hidden,
      paint: {
        'circle-color': palette.INCIDENT, 'circle-opacity': 0.7, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5,
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'point_count']], 1, 9, 10, 18, 40, 40],
      },
    },
    {
      id: POINTS, type: 'circle', source: 'incidents', filter: ['!', ['has', 'point_count']], layout: hidden,
      paint: { 'circle-color': palette.INCIDENT, 'circle-radius': 4.5, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
    },
    {
      id: MAP_POINTS, type: 'circle', source: 'points', layout: hidden,
      paint: {
        'circle-color': palette.INCIDENT, 'circle-opacity': 0.6, 'circle-radius': POINT_RADIUS,
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
      },
    },
  ];
  if (hasGlyphs) {
    out.push({
      id: CLUSTER_COUNTS, type: 'symbol', source: 'incidents', filter: ['has', 'point_count'],
      layout: { ...hidden, 'text-field': ['get', 'point_count_abbreviated'], 'text-font': FONT, 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff', 'text-halo-color': palette.INCIDENT, 'text-halo-width': 1 },
    });
  }
  return out;
}

/** incidentModel is the legend of the incident layer: how many are drawn of how many. */
export function incidentModel(inc) {
  const loaded = inc?.collection.features.length ?? 0;
  const shown = inc?.collection.features.filter((f) => f.geometry).length ?? 0;
  const total = inc?.total ?? 0;
  const note = loaded < total
    ? `${int(loaded)} of ${int(total)} incidents drawn (newest first)${shown < loaded ? `; ${int(loaded - shown)} without a location are not drawn` : ''}. Download the layer for all of them.`
    : `${int(shown)} of ${int(total)} incidents drawn${shown < total ? ' (the rest have no location)' : ''}. A circle with a number groups nearby incidents; click it to zoom in.`;
  return {
    title: 'Incidents in the area',
    note,
    classes: [
      { color: palette.INCIDENT, label: 'One incident', shape: 'dot' },
      { color: palette.INCIDENT, label: 'A group of nearby incidents (the number says how many)', shape: 'ring' },
    ],
  };
}

/** pointsModel is the legend of the map points layer. */
export function pointsModel(points) {
  const feats = points?.features ?? [];
  const total = feats.reduce((a, f) => a + f.properties.count, 0);
  const max = feats.reduce((a, f) => Math.max(a, f.properties.count), 0);
  return {
    title: 'police.uk map points',
    note: `${int(feats.length)} map points hold ${int(total)} incidents. police.uk moves every incident to the nearest of its anonymous map points, so a point is a street or place, not an address. Click a point to list its incidents.`,
    classes: [
      { color: palette.INCIDENT, label: '1 incident at this point', shape: 'dot' },
      { color: palette.INCIDENT, label: `N incidents at this point (the circle’s area grows with N; the busiest has ${int(max)})`, shape: 'ring' },
    ],
  };
}

const CHANGE_LABELS = { 3: 'Significant rise, 99 % confidence', 2: 'Significant rise, 95 % confidence', 1: 'Significant rise, 90 % confidence', '-1': 'Significant fall, 90 % confidence', '-2': 'Significant fall, 95 % confidence', '-3': 'Significant fall, 99 % confidence' };

/** compareWords names what a change is measured against. */
export function compareWords(compare) {
  return compare === 'year' ? 'the same months a year earlier' : 'the previous period (the same number of months just before)';
}

/** changeModel is the legend of the cell change layer. */
export function changeModel(change, compare) {
  const feats = change?.features ?? [];
  const n = new Map();
  for (const f of feats) n.set(f.properties.change_bin, (n.get(f.properties.change_bin) ?? 0) + 1);
  const classes = [3, 2, 1, -1, -2, -3].map((b) => ({ color: palette.CHANGE_BIN[b], label: CHANGE_LABELS[b], n: n.get(b) ?? 0, unit: 'cells' }));
  const quiet = feats.length - classes.reduce((a, c) => a + c.n, 0);
  classes.push({ color: 'transparent', label: 'Clear: no significant change (or nothing to compare)', n: quiet, unit: 'cells' });
  const partial = change?.hotspot?.previous_complete === false;
  return {
    title: 'Significant change per hexagon',
    note: `Against ${compareWords(compare)}: an exact test of the two counts per hexagon, corrected for testing every hexagon (FDR). Only significant rises and falls are coloured. Click a hexagon for its counts.`,
    warning: partial ? 'The comparison period starts before the data, so no hexagon can be tested. Choose a later start month.' : '',
    classes,
  };
}
