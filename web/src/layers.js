// The map's sources and layers, and how each choice of the layer control
// is drawn: the class breaks, colours and legend entries come from one
// classify() call so that the map and its legend cannot disagree.

import * as palette from './palette.js';
import { int, dec1 } from './format.js';
import { isEmptyHot, RATE_NOTE } from './naming.js';
import { hatched, HATCH_IMAGE } from './hatch.js';
import { splitLabels } from './basemap-style.js';
import { overlaySources, pointLayers, changeLayer, incidentModel, pointsModel, changeModel, CLUSTERS, CLUSTER_COUNTS, POINTS, MAP_POINTS, CHANGE_FILL } from './overlays.js';

export { CLUSTERS, CLUSTER_COUNTS, POINTS, MAP_POINTS, CHANGE_FILL };
export { hatched, wireHatch } from './hatch.js';

// Layer ids the tests and the click handler use.
export const HEX_FILL = 'hex-fill';
export const WARD_FILL = 'ward-fill';
export const WARD_LINE = 'ward-line';
export const HEX_HATCH = 'hex-hatch';
export const REPEAT_HIGHLIGHT = 'repeat-highlight';
export const EMERGING_FILL = 'emerging-fill';
export const TARGETS = 'forecast-targets';

// The cells the hatch pattern covers (hatch.js): the same test as
// naming.isEmptyHot, as a MapLibre expression.
export const HATCH_FILTER = ['all', ['>', ['get', 'gi_bin'], 0], ['==', ['get', 'count'], 0]];

export const EMPTY = Object.freeze({ type: 'FeatureCollection', features: Object.freeze([]) });

// The ward fills' opacity (and the hex fills' until their classes are
// known: then classify() gives 0.85 to hot and cold spots and 0.45 to the
// rest, which lets the streets show through most of the city while every
// pair of Gi* classes stays 8 CIEDE2000 units apart over each colour of
// the local basemap, tested), and the factor of the ward and emerging
// fills over a basemap.
const FILL_OPACITY = 0.85;
const CELL_MAXZOOM = 12;
const OVER_BASEMAP = 0.75;

/** The ids of the basemap's layers in the style (all but its background). */
export const basemapIds = new Set();

/** setBasemapVisible shows or hides the basemap (the "Streets" switch). */
export function setBasemapVisible(map, on) {
  for (const id of basemapIds) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
  }
}

/**
 * buildStyle returns the map style: a plain background (no tiles, no
 * fonts, so the map works offline) or a configured basemap style, with the
 * hotspot sources and layers on top. Only the cluster counts need glyphs,
 * and are left out without a basemap that brings them. data may hold
 * the sources' first contents ({hex, wards, incidents}); first, the layer
 * shown first and its classify() model ({layer, model}).
 */
export function buildStyle(basemap, data = {}, streets = true, first = null) {
  // The local basemap's labels go over the hot spots (the rest under them);
  // any other basemap style stays whole under them.
  const { under, over: labels } = splitLabels(basemap);
  basemapIds.clear();
  for (const l of [...under, ...labels]) if (l.id !== 'background') basemapIds.add(l.id);
  // Hidden from the start when the link says streets=off, so that no
  // basemap tile is fetched.
  const shown = (l) => (streets || !basemapIds.has(l.id) ? l : { ...l, layout: { ...l.layout, visibility: 'none' } });
  const style = basemap
    ? { ...basemap, sources: { ...basemap.sources }, layers: under.map(shown) }
    : { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': palette.BACKGROUND } }] };
  Object.assign(style.sources, {
    wards: { type: 'geojson', data: data.wards ?? EMPTY },
    // A small tile buffer: fills need little, and the default (a quarter
    // of a tile on each side) doubles the worker's work per redraw. Cells
    // are cut into tiles down to zoom 12 only (0.7 m a unit there, far
    // finer than a cell) and drawn larger beyond: a street-level view is
    // then one or two tiles for the worker to build, not a dozen.
    hex: { type: 'geojson', data: data.hex ?? EMPTY, buffer: 16, maxzoom: CELL_MAXZOOM },
    // The hatched cells alone: a pattern makes the worker wait on the page
    // for its image in every tile it builds, so the many plain cells are
    // kept out of it.
    hatch: { type: 'geojson', data: hatched(data.hex), buffer: 16, maxzoom: CELL_MAXZOOM },
    emerging: { type: 'geojson', data: data.emerging ?? EMPTY, buffer: 16, maxzoom: CELL_MAXZOOM },
    ...overlaySources(data, EMPTY),
    selection: { type: 'geojson', data: EMPTY },
    // The ward the panel is kept to (one feature at most).
    focus: { type: 'geojson', data: EMPTY },
    // The repeat location chosen from the list (one point at most).
    repeat: { type: 'geojson', data: EMPTY },
    // Next month's target hexagons, outlined when asked for.
    forecast: { type: 'geojson', data: EMPTY },
  });
  // Over a basemap the fills are lighter so that streets show through.
  const over = basemap ? OVER_BASEMAP : 1;
  style.layers.push(
    { id: WARD_FILL, type: 'fill', source: 'wards', layout: { visibility: 'none' }, paint: { 'fill-color': palette.NO_DATA, 'fill-opacity': FILL_OPACITY * over } },
    // The cell edges are the fill's own outline, not a line layer: a line
    // layer would make the worker build a second set of geometry for
    // every cell on every filter change.
    { id: HEX_FILL, type: 'fill', source: 'hex', paint: { 'fill-color': palette.GI[0], 'fill-opacity': FILL_OPACITY * over, 'fill-outline-color': 'rgba(255,255,255,0.8)' } },
    {
      id: EMERGING_FILL, type: 'fill', source: 'emerging', layout: { visibility: 'none' },
      paint: {
        'fill-color': ['match', ['get', 'pattern'], ...Object.entries(palette.EMERGING).flat(), palette.EMERGING.no_pattern],
        // Cells without a pattern recede, as not-significant Gi* cells do.
        'fill-opacity': ['case', ['==', ['get', 'pattern'], 'no_pattern'], 0.45 * over, 0.9 * over],
        'fill-outline-color': 'rgba(255,255,255,0.8)',
      },
    },
    changeLayer(over),
    // Its pattern is drawn when the worker first asks for it (wireHatch).
    { id: HEX_HATCH, type: 'fill', source: 'hatch', layout: { visibility: 'none' }, paint: { 'fill-pattern': HATCH_IMAGE } },
    { id: WARD_LINE, type: 'line', source: 'wards', paint: { 'line-color': palette.WARD_LINE, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 14, 2.5] } },
    // Points under the basemap's place labels, so that names stay readable.
    ...pointLayers(Boolean(style.glyphs)),
    ...labels.map(shown),
    // The selection has a source of its own (one feature), for the same
    // reason.
    { id: 'selected', type: 'line', source: 'selection', paint: { 'line-color': palette.SELECTED, 'line-width': ['match', ['get', 'kind'], 'ward', 4, 3] } },
    { id: 'focus-line', type: 'line', source: 'focus', paint: { 'line-color': palette.SELECTED, 'line-width': 3.5, 'line-dasharray': [3, 1.5] } },
    { id: TARGETS, type: 'line', source: 'forecast', paint: { 'line-color': palette.TARGET, 'line-width': 2.5, 'line-dasharray': [2, 1] } },
    {
      id: REPEAT_HIGHLIGHT, type: 'circle', source: 'repeat',
      paint: { 'circle-color': palette.REPEAT, 'circle-opacity': 0.35, 'circle-radius': 11, 'circle-stroke-color': palette.REPEAT, 'circle-stroke-width': 3 },
    },
  );
  if (first) firstLayer(style, first.layer, first.model);
  return style;
}

// The targets outlined now (null: none, as the style starts): the
// forecast section asks on every refresh, and new data, even none again,
// cost the worker a round and the map a frame during a switch.
let forecastShown = null;

/** setForecast outlines the forecast's target hexagons (null: none). */
export function setForecast(map, fc) {
  if ((fc ?? null) === forecastShown) return;
  forecastShown = fc ?? null;
  map.getSource('forecast')?.setData(fc ?? EMPTY);
}

/** setRepeat rings a repeat location's point (feature null: none). */
export function setRepeat(map, feature) {
  map.getSource('repeat')?.setData(feature ? { type: 'FeatureCollection', features: [feature] } : EMPTY);
}

// The ward outlined now: every refresh asks again, and new data, even
// the same, cost the worker a round and the map a frame.
let focusShown = null;

/** setFocus outlines the ward the panel is kept to (feature null: none). */
export function setFocus(map, feature) {
  if (feature === focusShown) return;
  focusShown = feature;
  map.getSource('focus')?.setData(feature ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: feature.geometry, properties: {} }] } : EMPTY);
}

/** setSelection outlines the chosen cell or ward (feature null: none). */
export function setSelection(map, kind, feature) {
  map.getSource('selection').setData(feature
    ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: feature.geometry, properties: { ...feature.properties, kind } }] }
    : EMPTY);
}

/** Large text also thickens the ward outlines, for projectors. */
export function setLargeText(map, on) {
  const f = on ? 1.6 : 1;
  map.setPaintProperty(WARD_LINE, 'line-width', ['interpolate', ['linear'], ['zoom'], 10, 1 * f, 14, 2.5 * f]);
}

const CHANGE_CLASSES = [
  [3, 'Significant rise, 99 % confidence'],
  [2, 'Significant rise, 95 % confidence'],
  [1, 'Significant rise, 90 % confidence'],
  [0, 'No significant change'],
  [-1, 'Significant fall, 90 % confidence'],
  [-2, 'Significant fall, 95 % confidence'],
  [-3, 'Significant fall, 99 % confidence'],
];

const GI_CLASSES = [
  [3, 'Hot spot, 99 % confidence'],
  [2, 'Hot spot, 95 % confidence'],
  [1, 'Hot spot, 90 % confidence'],
  [0, 'Not significant'],
  [-1, 'Cold spot, 90 % confidence'],
  [-2, 'Cold spot, 95 % confidence'],
  [-3, 'Cold spot, 99 % confidence'],
];

// The emerging hot spot patterns in DESIGN.md's order, each in the words
// the legend and the details panel use.
export const PATTERNS = [
  ['new_hot', 'New hot spot', 'hot this month for the first time in the window'],
  ['consecutive_hot', 'Consecutive hot spot', 'an unbroken run of hot months up to now, not yet most of the window'],
  ['intensifying_hot', 'Intensifying hot spot', 'hot nearly every month, still hot, and getting hotter'],
  ['persistent_hot', 'Persistent hot spot', 'hot nearly every month and still hot, with no trend'],
  ['diminishing_hot', 'Diminishing hot spot', 'hot nearly every month and still hot, but cooling'],
  ['sporadic_hot', 'Sporadic hot spot', 'hot now and on and off before, never cold'],
  ['oscillating_hot', 'Oscillating hot spot', 'hot now, but cold in some earlier month'],
  ['historical_hot', 'Historical hot spot', 'hot nearly every month, but not the latest'],
  ['new_cold', 'New cold spot', 'cold this month for the first time in the window'],
  ['consecutive_cold', 'Consecutive cold spot', 'an unbroken run of cold months up to now'],
  ['intensifying_cold', 'Intensifying cold spot', 'cold nearly every month, still cold, and getting colder'],
  ['persistent_cold', 'Persistent cold spot', 'cold nearly every month and still cold, with no trend'],
  ['diminishing_cold', 'Diminishing cold spot', 'cold nearly every month and still cold, but warming'],
  ['sporadic_cold', 'Sporadic cold spot', 'cold now and on and off before, never hot'],
  ['oscillating_cold', 'Oscillating cold spot', 'cold now, but hot in some earlier month'],
  ['historical_cold', 'Historical cold spot', 'cold nearly every month, but not the latest'],
  ['no_pattern', 'No pattern', 'no sustained hot or cold signal'],
];

/** patternWords names a pattern and says what it means. */
export function patternWords(pattern) {
  const p = PATTERNS.find(([id]) => id === pattern);
  return p ? { name: p[1], meaning: p[2] } : { name: pattern, meaning: '' };
}

/**
 * emergingClasses are the legend's entries: the patterns present (all
 * seventeen would be a wall of zeros on a projector), in DESIGN.md's
 * order, no_pattern last.
 */
export function emergingClasses(features) {
  const n = countBy(features, (f) => f.properties.pattern);
  return PATTERNS.filter(([id]) => n.has(id))
    .map(([id, name, meaning]) => ({ color: palette.EMERGING[id], label: id === 'no_pattern' ? name : `${name}: ${meaning}`, n: n.get(id), unit: 'cells' }));
}

/**
 * classify describes how `layer` is drawn for the data at hand: the
 * legend's title and entries and the paint expression. data holds the
 * current answers ({hex, wards, incidents, emerging}).
 */
export function classify(layer, data) {
  switch (layer) {
    case 'emerging': {
      const feats = data.emerging?.features ?? [];
      const months = data.emerging?.hotspot?.months;
      return {
        title: 'Emerging hot spots',
        note: feats.length === 0
          ? 'Emerging hot spots need at least 10 months: choose an earlier start month.'
          : `Gi* per hexagon for each of the ${months ?? 'chosen'} months (hot: 95 % confidence after FDR correction), and the Mann-Kendall trend of its monthly z. "Nearly every month" is 90 % of them; a trend counts at p ≤ 0.05.`,
        classes: emergingClasses(feats),
      };
    }
    case 'gi': {
      const feats = data.hex?.features ?? [];
      const cold = feats.some((f) => f.properties.gi_bin < 0);
      return {
        title: cold ? 'Gi* hot and cold spots' : 'Gi* hot spots',
        note: `Getis–Ord Gi* per hexagon; confidence after false-discovery-rate correction.${cold ? '' : ' No cold spots for these filters.'}`,
        classes: giClasses(feats),
        color: ['match', ['get', 'gi_bin'], ...GI_CLASSES.flatMap(([bin]) => [bin, palette.GI[bin]]), palette.GI[0]],
        // Not-significant cells recede; only the hot and cold spots carry colour.
        opacity: ['case', ['==', ['get', 'gi_bin'], 0], 0.45, 0.85],
      };
    }
    case 'count': {
      const values = (data.hex?.features ?? []).map((f) => f.properties.count).filter((c) => c > 0);
      const t = quantileBreaks(values, palette.COUNT.length, true);
      return {
        title: 'Incidents per hexagon',
        note: 'Classes hold about equal numbers of cells with incidents; empty cells are left clear.',
        classes: integerClasses(values, t, palette.COUNT, 'cells'),
        color: stepExpr(['get', 'count'], t, palette.COUNT),
        opacity: ['case', ['==', ['get', 'count'], 0], 0, 0.85],
      };
    }
    case 'wards-count': {
      const values = (data.wards?.features ?? []).map((f) => f.properties.count).filter((c) => c != null);
      const t = quantileBreaks(values, palette.WARD.length, true);
      return {
        title: 'Incidents per ward',
        classes: integerClasses(values, t, palette.WARD, 'wards'),
        color: stepExpr(['get', 'count'], t, palette.WARD),
      };
    }
    case 'wards-rate': {
      const values = (data.wards?.features ?? []).map((f) => f.properties.rate_per_1000).filter((v) => v != null);
      const t = quantileBreaks(values, palette.WARD.length, false);
      // A withheld count has no rate either; the legend keys it apart.
      const nulls = (data.wards?.features ?? []).filter((f) => f.properties.rate_per_1000 == null && !f.properties.suppressed).length;
      const classes = decimalClasses(values, t, palette.WARD, 'wards');
      if (nulls > 0) classes.push({ color: palette.NO_DATA, label: 'Population unknown', n: nulls, unit: 'wards' });
      return {
        title: 'Incidents per 1,000 residents',
        note: RATE_NOTE,
        classes,
        color: nullable('rate_per_1000', stepExpr(['to-number', ['get', 'rate_per_1000'], 0], t, palette.WARD)),
      };
    }
    case 'wards-change': {
      // Only significant rises and falls carry colour (the FDR bin of the
      // exact test of count against prev_count); the size of the change
      // is in the panel and the top list.
      const feats = data.wards?.features ?? [];
      const tested = feats.filter((f) => f.properties.change_p != null);
      const n = countBy(tested, (f) => f.properties.change_bin);
      // Falls are listed only when some ward fell, as cold spots are.
      const fell = tested.some((f) => f.properties.change_bin < 0);
      const classes = CHANGE_CLASSES.filter(([bin]) => bin >= 0 || fell)
        .map(([bin, label]) => ({ color: palette.CHANGE_BIN[bin], label, n: n.get(bin) ?? 0, unit: 'wards' }));
      const untested = feats.length - tested.length;
      if (untested > 0) classes.push({ color: palette.NO_DATA, label: 'Not tested (no incidents, or the data do not reach back)', n: untested, unit: 'wards' });
      return {
        title: data.compare === 'year' ? 'Significant change on the same months last year' : 'Significant change on the previous period',
        note: `Against ${data.compare === 'year' ? 'the same months a year earlier' : 'the same number of months just before the start month'}: an exact test of the two counts, corrected for testing every ward (FDR). Only significant rises and falls are coloured. Click a ward for its counts.`,
        classes,
        color: ['case', ['==', ['get', 'change_p'], null], palette.NO_DATA,
          ['match', ['get', 'change_bin'], ...CHANGE_CLASSES.flatMap(([bin]) => [bin, palette.CHANGE_BIN[bin]]), palette.CHANGE_BIN[0]]],
      };
    }
    case 'incidents':
      return incidentModel(data.incidents);
    case 'points':
      return pointsModel(data.points);
    case 'change':
      return changeModel(data.change, data.compare);
  }
  throw new Error(`unknown layer ${layer}`);
}

/**
 * giClasses are the Gi* legend's entries for the cells at hand: cold-spot
 * classes only when some cell is cold (three rows of "0 cells" are noise
 * on a projector, and the note says there are none), and the hatched
 * cells when there are any.
 */
export function giClasses(features) {
  const n = countBy(features, (f) => f.properties.gi_bin);
  const cold = features.some((f) => f.properties.gi_bin < 0);
  const classes = GI_CLASSES.filter(([bin]) => bin >= 0 || cold)
    .map(([bin, label]) => ({ color: palette.GI[bin], label, n: n.get(bin) ?? 0, unit: 'cells' }));
  const empty = features.filter((f) => isEmptyHot(f.properties)).length;
  if (empty > 0) {
    // After the hot classes, which count these cells too.
    classes.splice(3, 0, { color: palette.GI[1], label: 'Hatched: of these hot spots, no incident in the hexagon itself (its neighbours are busy)', n: empty, unit: 'cells', shape: 'hatch' });
  }
  return classes;
}

/**
 * layerProps lists the layout and paint values ([kind, id, prop, value])
 * that show `layer` drawn as `model`: applyLayer sets them on the map, and
 * buildStyle writes the first ones into the style, since a layout change
 * (or a paint one from a constant to data-driven) makes the worker tile
 * the whole source again.
 */
function layerProps(layer, model) {
  const isHex = layer === 'gi' || layer === 'count';
  const isWard = layer.startsWith('wards-');
  const isInc = layer === 'incidents';
  const out = [];
  const vis = (id, on) => out.push(['layout', id, 'visibility', on ? 'visible' : 'none']);
  vis(HEX_FILL, isHex);
  vis(EMERGING_FILL, layer === 'emerging');
  // The hatching means something only over the Gi* colours.
  vis(HEX_HATCH, layer === 'gi');
  vis(WARD_FILL, isWard);
  vis(CLUSTERS, isInc);
  vis(POINTS, isInc);
  vis(CLUSTER_COUNTS, isInc);
  vis(MAP_POINTS, layer === 'points');
  vis(CHANGE_FILL, layer === 'change');
  if (isHex) {
    out.push(['paint', HEX_FILL, 'fill-color', model.color], ['paint', HEX_FILL, 'fill-opacity', model.opacity]);
  }
  if (isWard) out.push(['paint', WARD_FILL, 'fill-color', model.color]);
  return out;
}

/** applyLayer shows `layer` on the map with the paint of `model`. */
export function applyLayer(map, layer, model) {
  for (const [kind, id, prop, value] of layerProps(layer, model)) {
    // The cluster counts exist only with a basemap's glyphs.
    if (map.getLayer(id)) setIfChanged(map, kind, id, prop, value);
  }
}

/**
 * firstLayer writes the values that show `layer` as `model` into a style,
 * but for the hatching: its pattern is drawn after the first frame (its
 * own small source is tiled again for it), so that the first frame waits
 * for neither the pattern image nor its shader.
 */
function firstLayer(style, layer, model) {
  for (const [kind, id, prop, value] of layerProps(layer, model)) {
    if (id === HEX_HATCH) continue;
    const l = style.layers.find((x) => x.id === id);
    if (l) l[kind] = { ...l[kind], [prop]: value };
  }
}

const applied = new WeakMap(); // map → Map("kind id prop" → JSON of the value)

/**
 * setIfChanged sets a layout or paint property only when its value
 * differs from the last one set. MapLibre redraws on every call, and a
 * redraw that changes nothing still costs a software-rendered browser a
 * frame (~50 ms) while the new data wait for the CPU.
 */
function setIfChanged(map, kind, id, prop, value) {
  if (!applied.has(map)) applied.set(map, new Map());
  const seen = applied.get(map);
  const key = `${kind} ${id} ${prop}`;
  const json = JSON.stringify(value);
  if (seen.get(key) === json) return;
  seen.set(key, json);
  if (kind === 'layout') map.setLayoutProperty(id, prop, value);
  else map.setPaintProperty(id, prop, value);
}

function nullable(prop, expr) {
  return ['case', ['==', ['get', prop], null], palette.NO_DATA, expr];
}

function stepExpr(input, thresholds, colours) {
  if (thresholds.length === 0) return colours[0];
  return ['step', input, colours[0], ...thresholds.flatMap((t, i) => [t, colours[i + 1]])];
}

function countBy(items, key) {
  const m = new Map();
  for (const it of items) {
    const k = key(it);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/**
 * quantileBreaks returns up to n−1 increasing thresholds that split values
 * into classes of about equal size: class i holds t[i−1] ≤ v < t[i].
 * Integer thresholds for counts; one decimal for rates.
 */
export function quantileBreaks(values, n, integer) {
  if (values.length === 0) return [];
  const v = [...values].sort((a, b) => a - b);
  const out = [];
  for (let i = 1; i < n; i++) {
    let t = v[Math.floor((i * v.length) / n)];
    t = integer ? Math.ceil(t) : Math.round(t * 10) / 10;
    if (t > v[0] && (out.length === 0 || t > out[out.length - 1])) out.push(t);
  }
  return out;
}

function integerClasses(values, t, colours, unit) {
  if (values.length === 0) return [{ color: colours[0], label: 'No incidents', n: 0, unit }];
  const lo = Math.min(...values), hi = Math.max(...values);
  const bounds = [lo, ...t, hi + 1];
  return bounds.slice(0, -1).map((b, i) => {
    const top = bounds[i + 1] - 1;
    const label = top > b ? `${int(b)} – ${int(top)}` : int(b);
    return { color: colours[i], label, n: values.filter((x) => x >= b && x <= top).length, unit };
  }).reverse();
}

function decimalClasses(values, t, colours, unit) {
  if (values.length === 0) return [];
  const lo = Math.min(...values), hi = Math.max(...values);
  const bounds = [lo, ...t, hi];
  return bounds.slice(0, -1).map((b, i) => {
    const last = i === bounds.length - 2;
    const top = bounds[i + 1];
    const n = values.filter((x) => x >= b && (last ? x <= top : x < top)).length;
    return { color: colours[i], label: `${dec1(b)} – ${dec1(top)}`, n, unit };
  }).reverse();
}
