// What the page calls the filters and layers, in the title, legend,
// status line, print sheet and details panel, so that they all agree.

import * as store from './state/store.js';
import { HEX_LAYERS, GRID_LAYERS } from './state/url.js';
import { monthRange } from './format.js';
import { localWords } from './state/local.js';

/** filterName names the priority (with its area) or crime type, and the
 * partner records counted when they are not police.uk's. */
export function filterName(s) {
  const local = localWords(s);
  return local ? `${subjectName(s)} · ${local}` : subjectName(s);
}

function subjectName(s) {
  if (s.priority) {
    const p = store.priorities().find((x) => x.id === s.priority);
    if (!p) return s.priority;
    return p.area?.length ? `${p.name} (${p.area.join(', ')})` : p.name;
  }
  return s.category || 'All crime types';
}

/** subject is what a view shows: filters, months and, for hexagons, the grid. */
export function subject(s) {
  const study = s.study === 'points' && HEX_LAYERS.has(s.layer) ? ' · only where crime can be recorded' : '';
  const grid = GRID_LAYERS.has(s.layer) ? ` · hexagons H3 res ${s.res}, k ${s.k}${study}` : '';
  return `${filterName(s)} · ${monthRange(s.from, s.to)}${grid}`;
}

const LAYER_WORDS = {
  gi: ['hot spots', 'Hot spots (Gi*)'],
  count: ['incident counts', 'Incidents per hexagon'],
  emerging: ['emerging hot spots', 'Emerging hot spots (trend)'],
  'wards-count': ['ward counts', 'Incidents per ward'],
  'wards-rate': ['ward rates', 'Incidents per 1,000 residents'],
  'wards-change': ['ward changes', 'Significant change on the previous period'],
  incidents: ['incidents', 'Incidents'],
  points: ['map points', 'Incidents per police.uk map point'],
  change: ['changes', 'Significant change per hexagon'],
};

/** layerWords names a layer in a sentence, or as a title. */
export function layerWords(layer, title = false) {
  return LAYER_WORDS[layer][title ? 1 : 0];
}
