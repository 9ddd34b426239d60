// The data flow: what the view state needs from the API, and drawing it
// into the map, legend, lists and title. Answers come from the API's cache
// by URL (api.js), so going back to an earlier view costs no request.

import * as api from './api.js';
import * as store from './state/store.js';
import { HEX_LAYERS, WARD_LAYERS, MIN_EMERGING_MONTHS } from './state/url.js';
import * as layers from './layers.js';
import { renderLegend } from './legend.js';
import { renderTopLists } from './panel.js';
import { bounds } from './geo.js';
import { month, monthRange, previousPeriod, monthsBetween, addMonths } from './format.js';
import { filterName, subject, layerWords } from './words.js';
import { setBusy, clearError, fail } from './status.js';
import { methodWords } from './naming.js';
import { setSynthetic, syncAttribution } from './attribution.js';
import { updateLabels, wardOf } from './labels.js';
import { pick, reselect } from './selection.js';
import { mapReady } from './map.js';
import { loadRepeats, renderRepeats } from './repeats.js';
import { loadPremises } from './premises.js';
import { loadOffenders } from './offenders.js';
import { loadConcentration } from './concentration.js';
import { loadForecast } from './forecast.js';
import { chartTitles, loadCharts } from './charts.js';
import { syncFocus, wardFeature } from './focus.js';
import { withheldModel } from './withheld.js';

const $ = (id) => document.getElementById(id);

// Incident points drawn at most; beyond this the legend says how many
// matched (exports still hold them all).
const INCIDENT_CAP = 50000;

// The incident pages being loaded for one set of filters: switching layers
// back and forth must not ask for 50,000 points again.
let incidents = { key: '', promise: null };
// Bumped by every refresh: answers for an older one are dropped.
let gen = 0;

function filterKey(s) {
  return api.filterParams(s).map((p) => p.join('=')).join('&');
}

function incidentsFor(s) {
  const key = filterKey(s);
  if (incidents.key !== key) {
    incidents = { key, promise: api.incidents(s, { limit: store.meta().incident_limit.max, cap: INCIDENT_CAP }) };
    incidents.promise.catch(() => { incidents = { key: '', promise: null }; });
  }
  return incidents.promise;
}

/** answersFor asks for the layers a state shows (from the cache when it can). */
export function answersFor(s) {
  return Promise.all([
    api.get(api.hexURL(s)),
    api.get(api.wardsURL(s)),
    s.layer === 'incidents' ? incidentsFor(s) : Promise.resolve(null),
    // Too short a window is said in the legend, not asked for and refused.
    s.layer === 'emerging' && emergingFits(s) ? api.get(api.emergingURL(s)) : Promise.resolve(null),
    s.layer === 'change' ? api.get(api.changeURL(s)) : Promise.resolve(null),
    s.layer === 'points' ? api.get(api.pointsURL(s)) : Promise.resolve(null),
  ]);
}

/** emergingFits says whether a state's months are enough for emerging hot spots. */
export const emergingFits = (s) => monthsBetween(s.from, s.to) >= MIN_EMERGING_MONTHS;

// The longest the side panels wait for the map to draw before they ask
// for their own answers.
const SIDE_WAIT_MS = 4000;

/**
 * refresh loads what the current state needs and draws it. Answers for an
 * older state (the planner changed a filter meanwhile) are dropped.
 */
export function refresh() {
  const mine = ++gen;
  const current = () => mine === gen;
  const s = store.state();
  setBusy(true, `Loading ${layerWords(s.layer)} for ${subject(s)}…`);
  clearError();
  const wanted = answersFor(s);
  // The side panels ask once the map has drawn: their answers (the
  // forecast's backtest, the city's points) cost the server and the page
  // time that the map's own answer and its frames need first. They say
  // "Loading…" meanwhile.
  let drawn;
  const mapDrawn = new Promise((resolve) => { drawn = resolve; });
  const sideReady = Promise.race([mapDrawn, new Promise((resolve) => setTimeout(resolve, SIDE_WAIT_MS))]);
  loadRepeats(s, current, sideReady);
  // Partner keys and above only; each says why it is missing otherwise.
  sideReady.then(() => {
    if (!current()) return;
    loadPremises(s, current);
    loadOffenders(s, current);
  });
  loadConcentration(s, current, sideReady);
  loadForecast(s, current, sideReady);
  sideReady.then(() => current() && loadCharts(s, current));
  (async () => {
    let answers, map;
    try {
      [answers, map] = await Promise.all([wanted, mapReady]);
    } catch (err) {
      drawn();
      if (current()) fail(err);
      return;
    }
    if (!current()) return drawn();
    show(s, answers, map, current).then(drawn);
  })();
}

/**
 * show puts a state's answers on the page; current() says whether that
 * state is still the one wanted once the map has drawn it. The promise
 * settles when the map is idle with them.
 */
function show(s, [hex, wards, inc, em, change, points], map, current) {
  const old = store.data();
  store.setData({
    hex: hex.data, wards: wards.data, incidents: inc ?? old.incidents, emerging: em?.data ?? null,
    change: change?.data ?? old.change, points: points?.data ?? old.points, compare: s.compare,
  });
  setSynthetic(hex.data.hotspot?.synthetic ?? store.meta().synthetic);
  syncFocus();
  // The charts may have titled themselves before the wards came.
  if (current()) chartTitles(s);
  const empty = emptyMessage(s);
  if (!map) {
    // No WebGL: the lists and legend still follow the filters.
    draw();
    setBusy(false, empty, Boolean(empty));
    return Promise.resolve();
  }
  if (!store.fitted()) {
    // Before the data go in, so the worker tiles them once, at the zoom
    // they are shown at. (Not fitted means the link named no view.)
    store.setFitted(true);
    const b = bounds(wards.data.features);
    if (b) map.fitBounds(b, { padding: 30, animate: false });
  }
  // Only the sources on show get their new data (the others when they are
  // shown): the map's single worker re-tiles whatever it is given, and a
  // planner switching priorities waits for all of it. The ward outlines
  // are always on show, but only their first data matter to them.
  let changed = false;
  if (HEX_LAYERS.has(s.layer)) {
    changed = setSource(map, 'hex', hex.data) || changed;
    changed = setSource(map, 'hatch', layers.hatched(hex.data)) || changed;
  }
  if (WARD_LAYERS.has(s.layer) || !store.applied('wards')) changed = setSource(map, 'wards', wards.data) || changed;
  if (inc) changed = setSource(map, 'incidents', inc.collection) || changed;
  // Too short a window shows no cells rather than an older window's.
  if (s.layer === 'emerging') changed = setSource(map, 'emerging', em?.data ?? layers.EMPTY) || changed;
  if (change) changed = setSource(map, 'change', change.data) || changed;
  if (points) changed = setSource(map, 'points', points.data) || changed;
  updateLabels(map, wards.data);
  draw();
  reselect();
  const idle = new Promise((resolve) => map.once('idle', () => {
    resolve();
    if (!current()) return;
    store.markIdle(performance.now());
    setBusy(false, empty, Boolean(empty));
  }));
  // New data bring frames of their own; without them 'idle' needs one.
  // (An extra frame costs a software-rendered browser ~50 ms.)
  if (!changed) map.triggerRepaint();
  return idle;
}

/** setSource gives a source new data, if they are new; true if so. */
function setSource(map, id, d) {
  if (store.applied(id) === d) return false;
  map.getSource(id).setData(d);
  store.markApplied(id, d);
  return true;
}

/** draw redraws everything that depends on the layer choice and data. */
export function draw() {
  const s = store.state();
  const meta = store.meta();
  const d = store.data();
  const model = withheldModel(layers.classify(s.layer, d), s.layer, d, meta.suppress_below);
  const prev = s.compare === 'year'
    ? { from: addMonths(s.from, -12), to: addMonths(s.to, -12), complete: addMonths(s.from, -12) >= meta.months[0] }
    : previousPeriod(s.from, s.to, meta.months[0]);
  if ((s.layer === 'wards-change' || s.layer === 'change') && !prev.complete) {
    model.warning = `The period compared with (${monthRange(prev.from, prev.to)}) starts before the data (${month(meta.months[0])}), so no change can be tested. Choose a later start month for a fair comparison.`;
  }
  if (s.layer === 'gi' && d.hex?.hotspot) model.method = methodWords(d.hex.hotspot);
  const map = store.map();
  if (map) {
    layers.applyLayer(map, s.layer, model);
    syncAttribution(map);
  }
  renderLegend($('legend'), model, subject(s));
  $('map-title').textContent = `${layerWords(s.layer, true)} · ${subject(s)}`;
  document.title = `${filterName(s)}, ${monthRange(s.from, s.to)} — Crime hotspots`;
  drawPanel();
  for (const id of ['export-geojson', 'export-csv', 'print']) $(id).disabled = false;
}

/** drawPanel redraws the side lists from the answers at hand (no request). */
export function drawPanel() {
  const s = store.state();
  const d = store.data();
  renderTopLists({ hex: d.hex, wards: d.wards, layer: s.layer, wardOf, onPick: pick, focus: wardFeature(s) });
  // Again with the wards on show, which name the points' wards.
  renderRepeats();
}

function emptyMessage(s) {
  const sum = (fc) => (fc?.features ?? []).reduce((a, f) => a + (f.properties.count ?? 0), 0);
  const d = store.data();
  let none;
  if (s.layer === 'incidents') none = (d.incidents?.total ?? 0) === 0;
  else if (s.layer === 'emerging' && !emergingFits(s)) return `Emerging hot spots need at least ${MIN_EMERGING_MONTHS} months; ${monthRange(s.from, s.to)} is ${monthsBetween(s.from, s.to)}. Choose an earlier start month.`;
  else if (s.layer === 'emerging') none = sum(d.emerging) === 0;
  else if (s.layer === 'points') none = sum(d.points) === 0;
  else if (HEX_LAYERS.has(s.layer)) none = sum(d.hex) === 0;
  else none = sum(d.wards) === 0;
  return none ? `No incidents match ${filterName(s)} in ${monthRange(s.from, s.to)}. Try a longer month range or another crime type.` : '';
}
