// Downloads of the layer on show, for the whole study area and the current
// filters. GeoJSON is the API's answer byte for byte (the same file as
// `hotspot export`); CSV is made here from the same features with the
// columns and number spelling of `hotspot export --format csv` (api/csv.go):
// the API has no CSV endpoint, and the map must not invent other columns.

import * as api from './api.js';

/** Columns per layer, as api/csv.go writes them. */
const COLUMNS = {
  hex: ['h3', 'count', 'gi_z', 'gi_p', 'gi_bin', 'wkt'],
  wards: ['code', 'name', 'count', 'population', 'rate_per_1000', 'prev_count', 'change_pct', 'wkt'],
  incidents: ['id', 'month', 'category', 'location', 'ward', 'ward_name', 'outcome', 'lon', 'lat'],
};

/** kindOf maps the layer control to the API layer it shows. */
export function kindOf(layer) {
  if (layer === 'gi' || layer === 'count') return 'hex';
  if (layer.startsWith('wards-')) return 'wards';
  return 'incidents';
}

/**
 * layerAnswer returns the current layer's full answer, as text and parsed:
 * one API body for hexagons and wards; for incidents, every page (the API
 * pages them) merged into one collection.
 */
export async function layerAnswer(kind, state, meta) {
  if (kind === 'hex') return api.get(api.hexURL(state));
  if (kind === 'wards') return api.get(api.wardsURL(state));
  const { collection } = await api.incidents(state, { limit: meta.incident_limit.max, cap: Infinity });
  return { text: JSON.stringify(collection) + '\n', data: collection };
}

/** fileName says what a file holds: layer, filters, months and grid. */
export function fileName(kind, state, ext) {
  const what = state.priority || (state.category ? state.category.toLowerCase().replace(/[^a-z0-9]+/g, '-') : 'all-crime');
  const grid = kind === 'hex' ? `-res${state.res}-k${state.k}` : '';
  return `hotspot-${kind}-${what}-${state.from}_${state.to}${grid}.${ext}`;
}

export function download(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

/** toCSV converts a layer's GeoJSON answer to the export command's CSV. */
export function toCSV(kind, collection) {
  const cols = COLUMNS[kind];
  const lines = [cols.join(',')];
  for (const f of collection.features) {
    const p = f.properties;
    const row = cols.map((c) => {
      if (c === 'wkt') return wkt(f.geometry);
      if (c === 'lon' || c === 'lat') return f.geometry ? jsonNumber(f.geometry.coordinates[c === 'lon' ? 0 : 1]) : '';
      const v = p[c];
      if (v == null) return '';
      return typeof v === 'number' ? jsonNumber(v) : String(v);
    });
    lines.push(row.map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

/** jsonNumber spells a number as Go's encoding/json does, which for
 * float64 is ECMAScript's shortest round-trip form: String() itself. */
const jsonNumber = (x) => String(x);

/** goG spells a float as Go's fmt %g (the WKT coordinates of paulmach/orb):
 * shortest digits, exponent form below 1e-4 or from 1e6. */
export function goG(x) {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, e] = x.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}

function ring(r) {
  return '(' + r.map(([x, y]) => `${goG(x)} ${goG(y)}`).join(',') + ')';
}

/** wkt writes a geometry as paulmach/orb's wkt.MarshalString does. */
export function wkt(g) {
  if (!g) return '';
  switch (g.type) {
    case 'Polygon':
      return g.coordinates.length ? `POLYGON(${g.coordinates.map(ring).join(',')})` : 'POLYGON EMPTY';
    case 'MultiPolygon':
      return g.coordinates.length ? `MULTIPOLYGON(${g.coordinates.map((p) => `(${p.map(ring).join(',')})`).join(',')})` : 'MULTIPOLYGON EMPTY';
    case 'Point':
      return `POINT(${goG(g.coordinates[0])} ${goG(g.coordinates[1])})`;
  }
  return '';
}

/** csvField quotes a field exactly when Go's encoding/csv would. */
export function csvField(s) {
  const needs = s === '\\.' || /[",\r\n]/.test(s) || /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(s);
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}
