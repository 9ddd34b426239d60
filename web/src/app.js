// The map page: reads the view from the URL, builds the controls from the
// server's meta, and keeps map, legend, lists, details and URL in step.
// Data come from the GeoJSON API (one request per layer per filter
// change, cached by URL); the map needs no tiles, fonts or basemap.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import * as api from './api.js';
import { readState, writeURL, normalize, HEX_LAYERS, WARD_LAYERS } from './state/url.js';
import * as layers from './layers.js';
import { renderLegend } from './legend.js';
import { renderTopLists, showHex, showWard, showIncident, closeDetails } from './panel.js';
import { kindOf, layerAnswer, fileName, download, toCSV } from './export.js';
import { buildPrintSheet } from './print.js';
import { bounds, inGeometry, ringCentre, labelPoint } from './geo.js';
import { month, monthRange, int, previousPeriod } from './format.js';

const $ = (id) => document.getElementById(id);

// Incident points drawn at most; beyond this the legend says how many
// matched (exports still hold them all).
const INCIDENT_CAP = 50000;
// Ward names are hidden below this zoom, where they would overlap.
const LABEL_MIN_ZOOM = 10.4;

const app = {
  state: null,
  meta: null,
  priorities: [],
  data: { hex: null, wards: null, incidents: null },
  applied: {}, // source id → data object last given to the map
  selection: null, // {kind: 'hex'|'ward', id}
  synthetic: false,
  labels: [], // ward names: [{name, el, area, lngLat, marker}], larger wards first
  labelKey: '',
  wardOfCache: new Map(),
  gen: 0,
  fitted: false,
  map: null,
  attribution: null,
  incidents: { key: '', promise: null },
  timings: { start: performance.now() },
};
// For tests and for a curious analyst's console.
window.hotspotApp = app;

const initial = readState(location.search);
setLargeText(initial.largeText);

// Everything slow starts at once: MapLibre's worker (it loads and compiles
// half a megabyte of script), the meta, and for a shared link its layers.
// The map itself is created when its first data are here, with them in
// its style, so that the worker tiles them once and the first frame drawn
// with data is the right one.
maplibregl.prewarm();
const metaP = api.json('/api/v1/meta');
const prioP = api.json('/api/v1/priorities');
prefetch(initial);
const basemapURL = initial.basemap || document.querySelector('meta[name="hotspot-basemap"]')?.content || '';
const basemapP = loadBasemap(basemapURL);
let mapLoaded;
const mapP = new Promise((resolve) => { mapLoaded = resolve; });

main();

async function main() {
  let meta, prios;
  try {
    [meta, prios] = await Promise.all([metaP, prioP]);
  } catch (err) {
    fail(err);
    return;
  }
  app.meta = meta;
  app.priorities = prios.priorities;
  const { state, notices } = normalize(initial, meta, app.priorities);
  app.state = state;
  if (notices.length) showNotice(notices.join(' '));
  setSynthetic(meta.synthetic);
  buildControls();
  writeURL(app.state);
  if (meta.months.length === 0) {
    createMap(await basemapP, null);
    setBusy(false, 'No incidents have been imported yet. Run “hotspot ingest” with police.uk files, then reload.', true);
    return;
  }
  let first = null;
  try {
    first = await answersFor(app.state);
  } catch {
    // refresh() asks again and reports the failure in words.
  }
  createMap(await basemapP, first);
  refresh();
}

/**
 * prefetch asks for a shared link's layers before the meta has confirmed
 * its filters: when they are valid (the usual case) refresh() finds the
 * answers already on their way in the cache, under the same URLs.
 */
function prefetch(s) {
  // Only links that look valid: a refused guess would be a wasted request
  // (and an error in the browser's console).
  const month = /^\d{4}-(0[1-9]|1[0-2])$/;
  if (!month.test(s.from) || !month.test(s.to) || s.from > s.to || (s.priority && s.category)) return;
  if ((s.res != null && (s.res < 6 || s.res > 10)) || (s.k != null && (s.k < 1 || s.k > 3))) return;
  const guess = { ...s, res: s.res ?? 9, k: s.k ?? 1 };
  api.get(api.hexURL(guess)).catch(() => {});
  api.get(api.wardsURL(guess)).catch(() => {});
}

/** loadBasemap fetches a configured style; the plain style is the fallback. */
async function loadBasemap(u) {
  if (!u) return null;
  try {
    const res = await fetch(u);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.json();
  } catch (err) {
    showNotice(`The basemap ${u} could not be loaded (${err.message}); showing the map without it.`);
    return null;
  }
}

/**
 * createMap makes the map with the first answers ([hex, wards, incidents]
 * from answersFor, or null) already in its sources, at the link's view or
 * fitted to the wards.
 */
function createMap(basemap, first) {
  const v = initial.view;
  const [hex, wards, inc] = first ?? [];
  const data = { hex: hex?.data, wards: wards?.data, incidents: inc?.collection };
  for (const [id, d] of Object.entries(data)) if (d) app.applied[id] = d;
  const b = wards && bounds(wards.data.features);
  app.fitted = Boolean(v || b);
  const camera = v ? { center: [v.lon, v.lat], zoom: v.zoom }
    : b ? { bounds: b, fitBoundsOptions: { padding: 30 } }
    : { center: [-1.13, 52.635], zoom: 10.8 };
  let map;
  try {
    map = newMap(basemap, data, camera);
  } catch (err) {
    // No WebGL (an old or locked-down browser): say so; the lists, legend
    // and downloads still work.
    showError(`This browser cannot draw the map (${err.message}). The lists and downloads still work.`);
    mapLoaded(null);
    return;
  }
  window.hotspotMap = map;
  app.map = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  setAttribution(map);
  map.on('error', (e) => showError(`The map could not draw a layer: ${e.error?.message || 'unknown error'}.`));
  map.once('load', () => {
    layers.setLargeText(map, app.state?.largeText ?? initial.largeText);
    wireMap(map);
    mapLoaded(map);
  });
}

function newMap(basemap, data, camera) {
  return new maplibregl.Map({
    container: 'map',
    style: layers.buildStyle(basemap, data),
    ...camera,
    maxZoom: 18,
    attributionControl: false,
    // Keeps the canvas readable for the print sheet's map image.
    canvasContextAttributes: { preserveDrawingBuffer: true },
    locale: { 'Map.Title': 'Map of crime hot spots. The top hot spots and wards lists move it from the keyboard.' },
  });
}

function wireMap(map) {
  map.on('moveend', () => {
    const c = map.getCenter();
    app.state.view = { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
    writeURL(app.state);
  });
  const labelsByZoom = () => map.getContainer().classList.toggle('labels-hidden', map.getZoom() < LABEL_MIN_ZOOM);
  map.on('zoom', labelsByZoom);
  map.on('zoomend', declutterLabels);
  labelsByZoom();
  map.on('click', (e) => onMapClick(map, e));
  map.on('mousemove', (e) => {
    map.getCanvas().style.cursor = map.queryRenderedFeatures(e.point, { layers: interactiveLayers() }).length ? 'pointer' : '';
  });
}

function interactiveLayers() {
  const l = app.state.layer;
  if (l === 'incidents') return [layers.CLUSTERS, layers.POINTS];
  if (WARD_LAYERS.has(l)) return [layers.WARD_FILL];
  return [layers.HEX_FILL];
}

async function onMapClick(map, e) {
  const f = map.queryRenderedFeatures(e.point, { layers: interactiveLayers() })[0];
  if (f?.layer.id === layers.CLUSTERS) {
    const zoom = await map.getSource('incidents').getClusterExpansionZoom(f.properties.cluster_id);
    map.easeTo({ center: f.geometry.coordinates, zoom });
    return;
  }
  if (f?.layer.id === layers.POINTS) {
    select(null);
    showIncident(f.properties);
    return;
  }
  if (f?.layer.id === layers.HEX_FILL) {
    // Look the cell up in the answer: rendered features drop null values.
    select({ kind: 'hex', id: f.properties.h3 });
    return;
  }
  const pt = [e.lngLat.lng, e.lngLat.lat];
  const ward = app.data.wards?.features.find((w) => inGeometry(pt, w.geometry));
  if (ward) select({ kind: 'ward', id: ward.properties.code });
  else select(null);
}

// ---- data ---------------------------------------------------------------

function filterKey(s) {
  return api.filterParams(s).map((p) => p.join('=')).join('&');
}

function incidentsFor(s) {
  const key = filterKey(s);
  if (app.incidents.key !== key) {
    app.incidents = { key, promise: api.incidents(s, { limit: app.meta.incident_limit.max, cap: INCIDENT_CAP }) };
    app.incidents.promise.catch(() => { app.incidents = { key: '', promise: null }; });
  }
  return app.incidents.promise;
}

/** answersFor asks for the layers a state shows (from the cache when it can). */
function answersFor(s) {
  return Promise.all([
    api.get(api.hexURL(s)),
    api.get(api.wardsURL(s)),
    s.layer === 'incidents' ? incidentsFor(s) : Promise.resolve(null),
  ]);
}

/**
 * refresh loads what the current state needs and draws it. Answers for an
 * older state (the planner changed a filter meanwhile) are dropped.
 */
function refresh() {
  const gen = ++app.gen;
  const s = { ...app.state };
  setBusy(true, `Loading ${layerWords(s.layer)} for ${subject(s)}…`);
  clearError();
  const wanted = answersFor(s);
  (async () => {
    let hex, wards, inc, map;
    try {
      [[hex, wards, inc], map] = await Promise.all([wanted, mapP]);
    } catch (err) {
      if (gen === app.gen) fail(err);
      return;
    }
    if (gen !== app.gen) return;
    app.data = { hex: hex.data, wards: wards.data, incidents: inc ?? app.data.incidents };
    setSynthetic(hex.data.hotspot?.synthetic ?? app.meta.synthetic);
    const empty = emptyMessage(s);
    if (!map) {
      // No WebGL: the lists and legend still follow the filters.
      draw();
      setBusy(false, empty, Boolean(empty));
      return;
    }
    if (!app.fitted) {
      // Before the data go in, so the worker tiles them once, at the
      // zoom they are shown at.
      app.fitted = true;
      const b = bounds(wards.data.features);
      if (!initial.view && b) map.fitBounds(b, { padding: 30, animate: false });
    }
    // Only the sources on show get their new data (the others when they
    // are shown): the map's single worker re-tiles whatever it is given,
    // and a planner switching priorities waits for all of it. The ward
    // outlines are always on show, but only their first data matter to them.
    let changed = false;
    if (HEX_LAYERS.has(s.layer)) changed = setSource(map, 'hex', hex.data) || changed;
    if (WARD_LAYERS.has(s.layer) || !app.applied.wards) changed = setSource(map, 'wards', wards.data) || changed;
    if (inc) changed = setSource(map, 'incidents', inc.collection) || changed;
    updateLabels(map, wards.data);
    draw();
    reselect();
    map.once('idle', () => {
      if (gen !== app.gen) return;
      app.timings.lastIdle = performance.now();
      app.timings.firstIdle ??= app.timings.lastIdle;
      setBusy(false, empty, Boolean(empty));
    });
    // New data bring frames of their own; without them 'idle' needs one.
    // (An extra frame costs a software-rendered browser ~50 ms.)
    if (!changed) map.triggerRepaint();
  })();
}

/** setSource gives a source new data, if they are new; true if so. */
function setSource(map, id, data) {
  if (app.applied[id] === data) return false;
  map.getSource(id).setData(data);
  app.applied[id] = data;
  return true;
}

/** draw redraws everything that depends on the layer choice and data. */
function draw() {
  const s = app.state;
  const model = layers.classify(s.layer, app.data);
  const prev = previousPeriod(s.from, s.to, app.meta.months[0]);
  if (s.layer === 'wards-change' && !prev.complete) {
    model.warning = `The previous period (${monthRange(prev.from, prev.to)}) starts before the data (${month(app.meta.months[0])}), so rises are overstated. Choose a later start month for a fair comparison.`;
  }
  if (app.map) layers.applyLayer(app.map, s.layer, model);
  renderLegend($('legend'), model, subject(s));
  $('map-title').textContent = `${layerWords(s.layer, true)} · ${subject(s)}`;
  document.title = `${filterName(s)}, ${monthRange(s.from, s.to)} — Crime hotspots`;
  renderTopLists({ hex: app.data.hex, wards: app.data.wards, layer: s.layer, wardOf, onPick: pick });
  for (const id of ['export-geojson', 'export-csv', 'print']) $(id).disabled = false;
}

function emptyMessage(s) {
  const sum = (fc) => (fc?.features ?? []).reduce((a, f) => a + (f.properties.count ?? 0), 0);
  let none;
  if (s.layer === 'incidents') none = (app.data.incidents?.total ?? 0) === 0;
  else if (HEX_LAYERS.has(s.layer)) none = sum(app.data.hex) === 0;
  else none = sum(app.data.wards) === 0;
  return none ? `No incidents match ${filterName(s)} in ${monthRange(s.from, s.to)}. Try a longer month range or another crime type.` : '';
}

// ---- selection and details ---------------------------------------------

function featureOf(sel) {
  if (!sel) return null;
  if (sel.kind === 'hex') return app.data.hex?.features.find((f) => f.properties.h3 === sel.id) ?? null;
  return app.data.wards?.features.find((f) => f.properties.code === sel.id) ?? null;
}

/** select outlines a cell or ward and opens its details (null: neither). */
function select(sel, { focus = false } = {}) {
  const f = featureOf(sel);
  app.selection = f ? sel : null;
  if (app.map) layers.setSelection(app.map, sel?.kind, f);
  if (!f) {
    closeDetails();
    return;
  }
  const ctx = { state: { ...app.state }, meta: app.meta, subject: subject(app.state), focus };
  if (sel.kind === 'hex') showHex(f.properties, { ...ctx, ward: wardOf(f) });
  else showWard(f.properties, ctx);
}

/** After new data, the open details show the same cell or ward's new figures. */
function reselect() {
  if (!app.selection) return;
  // A cell's outline means nothing over a ward map, and the other way round.
  const fits = app.selection.kind === 'hex' ? HEX_LAYERS.has(app.state.layer) : app.state.layer !== 'incidents';
  select(fits ? app.selection : null);
}

/** pick is a top-list choice: zoom to it and show its details. */
function pick(kind, f) {
  const id = kind === 'hex' ? f.properties.h3 : f.properties.code;
  const b = bounds([f]);
  // Room for the details panel on the right.
  const right = Math.min($('details').offsetWidth || 340, app.map?.getContainer().clientWidth / 2) + 30;
  app.map?.fitBounds(b, { padding: { top: 60, bottom: 60, left: 60, right }, maxZoom: 13.5, duration: 600 });
  select({ kind, id }, { focus: true });
}

/** wardOf names the ward a hexagon's centre lies in. */
function wardOf(f) {
  const h3 = f.properties.h3;
  if (!app.wardOfCache.has(h3)) {
    const c = f.geometry ? ringCentre(f.geometry.coordinates[0]) : null;
    const w = c && app.data.wards?.features.find((w) => inGeometry(c, w.geometry));
    app.wardOfCache.set(h3, w ? w.properties.name : '');
  }
  return app.wardOfCache.get(h3);
}

/** updateLabels places ward names (HTML, so no glyph server is needed). */
function updateLabels(map, wards) {
  const key = wards.features.map((f) => f.properties.code).join(',');
  if (key === app.labelKey) return;
  app.labelKey = key;
  app.wardOfCache.clear();
  for (const l of app.labels) l.marker.remove();
  app.labels = wards.features.filter((f) => f.geometry).map((f) => {
    const el = document.createElement('div');
    el.className = 'ward-label';
    el.textContent = f.properties.name;
    // The names are also in the lists; to a screen reader they are noise here.
    el.setAttribute('aria-hidden', 'true');
    const lngLat = labelPoint(f.geometry);
    return { name: f.properties.name, el, area: areaOf(f), lngLat, marker: new maplibregl.Marker({ element: el }).setLngLat(lngLat).addTo(map) };
  });
  // Larger wards keep their names when two collide.
  app.labels.sort((a, b) => b.area - a.area);
  map.once('render', () => requestAnimationFrame(declutterLabels));
}

function areaOf(f) {
  const b = bounds([f]);
  return b ? (b[1][0] - b[0][0]) * (b[1][1] - b[0][1]) : 0;
}

/** declutterLabels hides ward names that would overlap a larger ward's. */
function declutterLabels() {
  const kept = [];
  for (const l of app.labels) {
    l.el.classList.remove('collides');
    const r = l.el.getBoundingClientRect();
    const hit = kept.some((k) => r.left < k.right + 2 && r.right > k.left - 2 && r.top < k.bottom + 1 && r.bottom > k.top - 1);
    if (hit) l.el.classList.add('collides');
    else kept.push(r);
  }
}

// ---- words ---------------------------------------------------------------

function filterName(s) {
  if (s.priority) {
    const p = app.priorities.find((x) => x.id === s.priority);
    if (!p) return s.priority;
    return p.area?.length ? `${p.name} (${p.area.join(', ')})` : p.name;
  }
  return s.category || 'All crime types';
}

function subject(s) {
  const grid = HEX_LAYERS.has(s.layer) ? ` · hexagons H3 res ${s.res}, k ${s.k}` : '';
  return `${filterName(s)} · ${monthRange(s.from, s.to)}${grid}`;
}

function layerWords(layer, title = false) {
  const w = {
    gi: ['hot spots', 'Hot spots (Gi*)'],
    count: ['incident counts', 'Incidents per hexagon'],
    'wards-count': ['ward counts', 'Incidents per ward'],
    'wards-rate': ['ward rates', 'Incidents per 1,000 residents'],
    'wards-change': ['ward changes', 'Change on the previous period'],
    incidents: ['incidents', 'Incidents'],
  }[layer];
  return w[title ? 1 : 0];
}

function attributionParts(html) {
  const a = (href, text) => (html ? `<a href="${href}" target="_blank" rel="noopener">${text}</a>` : text);
  const parts = [
    `Crime data: ${a('https://data.police.uk/', 'police.uk')}`,
    `Boundaries: ${a('https://geoportal.statistics.gov.uk/', 'Office for National Statistics')}, contains OS data © Crown copyright and database right`,
    `Open Government Licence ${a('https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/', 'v3.0')}`,
  ];
  if (app.synthetic) parts.unshift(html ? '<span class="synthetic-attrib">Synthetic demo data — not real</span>' : 'Synthetic demo data — not real');
  return parts;
}

function setAttribution(map) {
  if (app.attribution) map.removeControl(app.attribution);
  app.attribution = new maplibregl.AttributionControl({ compact: false, customAttribution: attributionParts(true) });
  map.addControl(app.attribution, 'bottom-right');
}

function setSynthetic(on) {
  const changed = app.synthetic !== on;
  app.synthetic = on;
  $('synthetic-banner').hidden = !on;
  document.body.classList.toggle('synthetic', on);
  if (changed && app.map) setAttribution(app.map);
}

// ---- status, notices, errors ---------------------------------------------

function setBusy(busy, text, empty = false) {
  document.body.dataset.state = busy ? 'loading' : 'ready';
  const el = $('status');
  el.textContent = text || '';
  el.classList.toggle('empty', empty);
}

function showNotice(text) {
  $('notice-text').textContent = text;
  $('notice').hidden = false;
}

function showError(err) {
  $('error-text').textContent = typeof err === 'string' ? err : err.words ? err.words() : `Something went wrong: ${err.message}`;
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
}

/** fail shows an error that stopped a load, in words. */
function fail(err) {
  showError(err);
  document.body.dataset.state = 'error';
  $('status').textContent = '';
}

// ---- controls ------------------------------------------------------------

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

function buildControls() {
  const m = app.meta;
  const pr = $('priority');
  pr.replaceChildren(option('', 'All crime types'));
  const g1 = document.createElement('optgroup');
  g1.label = 'Partnership priorities';
  for (const p of app.priorities) g1.append(option(p.id, p.name));
  const g2 = document.createElement('optgroup');
  g2.label = 'Crime types';
  for (const c of m.categories) g2.append(option(`category:${c}`, c));
  pr.append(g1, g2);

  for (const id of ['from', 'to']) $(id).replaceChildren(...m.months.map((v) => option(v, month(v))));
  const area = { 6: '36 km²', 7: '5 km²', 8: '0.7 km²', 9: '0.1 km²', 10: '0.015 km²' };
  const res = [];
  for (let r = m.res.min; r <= m.res.max; r++) res.push(option(String(r), `${r} (${area[r] ?? ''} cells)`.replace(' ( cells)', '')));
  $('res').replaceChildren(...res);
  const ks = [];
  for (let k = m.k.min; k <= m.k.max; k++) ks.push(option(String(k), `${k} ring${k > 1 ? 's' : ''}`));
  $('k').replaceChildren(...ks);

  syncControls();
  for (const id of ['priority', 'from', 'to', 'layer', 'res', 'k']) {
    $(id).disabled = false;
    $(id).addEventListener('change', onControl);
  }
  $('text-size').addEventListener('click', () => {
    app.state.largeText = !app.state.largeText;
    setLargeText(app.state.largeText);
    writeURL(app.state);
  });
  $('export-geojson').addEventListener('click', () => exportLayer('geojson'));
  $('export-csv').addEventListener('click', () => exportLayer('csv'));
  $('print').addEventListener('click', () => {
    preparePrint();
    window.print();
  });
  window.addEventListener('beforeprint', () => {
    if (app.map && performance.now() - (app.printedAt ?? -1e9) > 2000) preparePrint();
  });
  $('details-close').addEventListener('click', () => select(null));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('details').hidden) select(null);
  });
  for (const b of document.querySelectorAll('[data-dismiss]')) b.addEventListener('click', () => { $(b.dataset.dismiss).hidden = true; });
}

function syncControls() {
  const s = app.state;
  $('priority').value = s.priority || (s.category ? `category:${s.category}` : '');
  $('from').value = s.from;
  $('to').value = s.to;
  $('layer').value = s.layer;
  $('res').value = String(s.res);
  $('k').value = String(s.k);
  $('res').closest('.field').classList.toggle('inactive', !HEX_LAYERS.has(s.layer));
}

function onControl(e) {
  const s = app.state;
  const v = e.target.value;
  switch (e.target.id) {
    case 'priority':
      s.priority = v.startsWith('category:') ? '' : v;
      s.category = v.startsWith('category:') ? v.slice('category:'.length) : '';
      break;
    case 'from':
      s.from = v;
      if (s.from > s.to) {
        s.to = v;
        showNotice(`The end month was moved to ${month(v)} to follow the start month.`);
      }
      break;
    case 'to':
      s.to = v;
      if (s.to < s.from) {
        s.from = v;
        showNotice(`The start month was moved to ${month(v)} to come before the end month.`);
      }
      break;
    case 'layer':
      s.layer = v;
      break;
    case 'res':
    case 'k':
      s[e.target.id] = Number(v);
      break;
  }
  syncControls();
  writeURL(s);
  refresh();
}

function setLargeText(on) {
  document.documentElement.classList.toggle('large-text', on);
  $('text-size').setAttribute('aria-pressed', String(on));
  if (app.map?.loaded()) layers.setLargeText(app.map, on);
}

// ---- export and print ----------------------------------------------------

async function exportLayer(format) {
  const s = { ...app.state };
  const kind = kindOf(s.layer);
  const status = $('export-status');
  status.textContent = kind === 'incidents' ? 'Collecting every matching incident…' : 'Preparing the file…';
  try {
    const ans = await layerAnswer(kind, s, app.meta);
    const name = fileName(kind, s, format);
    if (format === 'geojson') download(name, ans.text, 'application/geo+json');
    else download(name, toCSV(kind, ans.data), 'text/csv');
    status.textContent = `Saved ${name} (${int(ans.data.features.length)} features).`;
  } catch (err) {
    status.textContent = '';
    showError(err);
  }
}

function preparePrint() {
  app.printedAt = performance.now();
  const s = app.state;
  buildPrintSheet({
    map: app.map,
    labels: app.map.getZoom() >= LABEL_MIN_ZOOM ? app.labels : [],
    title: `${layerWords(s.layer, true)} — ${filterName(s)}`,
    subject: subject(s),
    filters: `${filterName(s)}; ${monthRange(s.from, s.to)}${HEX_LAYERS.has(s.layer) ? `; H3 resolution ${s.res}, k = ${s.k}` : ''}`,
    legendHTML: $('legend').innerHTML,
    data: app.data,
    layer: s.layer,
    wardOf,
    synthetic: app.synthetic,
    attribution: attributionParts(false).join(' · '),
  });
}
