// Downloads of the layer on show, for the whole study area and the current
// filters, as the API answers them. GeoJSON is the answer the map drew
// (for incidents, every page merged into one collection). CSV comes from
// the API too (format=csv on the same URLs), byte for byte what `hotspot
// export --format csv` writes for the same filters, so that the map and
// the command never disagree on columns or number spelling. Incidents come
// in pages that each start with the header row; the file has it once.

import * as api from './api.js';

const CSV = [['format', 'csv']];
const CSV_ACCEPT = 'text/csv, application/json';

/** kindOf maps the layer control to the API layer it shows. */
export function kindOf(layer) {
  if (layer === 'gi' || layer === 'count') return 'hex';
  if (layer === 'emerging') return 'emerging';
  if (layer === 'change') return 'change';
  if (layer === 'points') return 'points';
  if (layer.startsWith('wards-')) return 'wards';
  return 'incidents';
}

/**
 * layerFile is the download of a layer in a format ('geojson' or 'csv'):
 * its text, content type and number of features.
 */
export async function layerFile(kind, format, state, meta) {
  if (format === 'csv') {
    const text = await layerCSV(kind, state, meta);
    return { text, type: 'text/csv', features: csvRows(text) };
  }
  const ans = await layerAnswer(kind, state, meta);
  return { text: ans.text, type: 'application/geo+json', features: ans.data.features.length };
}

/**
 * layerAnswer returns the current layer's full answer, as text and parsed:
 * one API body for hexagons and wards; for incidents, every page (the API
 * pages them) merged into one collection.
 */
export async function layerAnswer(kind, state, meta) {
  if (kind === 'hex') return api.get(api.hexURL(state));
  if (kind === 'emerging') return api.get(api.emergingURL(state));
  if (kind === 'change') return api.get(api.changeURL(state));
  if (kind === 'points') return api.get(api.pointsURL(state));
  if (kind === 'wards') return api.get(api.wardsURL(state));
  const { collection } = await api.incidents(state, { limit: meta.incident_limit.max, cap: Infinity });
  return { text: JSON.stringify(collection) + '\n', data: collection };
}

/**
 * layerCSV fetches a layer as CSV. For incidents the number matched (from
 * a one-incident GeoJSON page, asked afresh like the pages) says how many
 * pages of the largest size to ask for; they are fetched together and
 * joined in order.
 */
export async function layerCSV(kind, state, meta) {
  if (kind === 'hex') return api.text(api.hexURL(state, CSV), CSV_ACCEPT);
  if (kind === 'emerging') return api.text(api.emergingURL(state, CSV), CSV_ACCEPT);
  if (kind === 'change') return api.text(api.changeURL(state, CSV), CSV_ACCEPT);
  if (kind === 'points') return api.text(api.pointsURL(state, '', CSV), CSV_ACCEPT);
  if (kind === 'wards') return api.text(api.wardsURL(state, CSV), CSV_ACCEPT);
  const total = JSON.parse(await api.text(api.incidentsURL(state, 1, 0), 'application/geo+json')).numberMatched;
  const limit = meta.incident_limit.max;
  const pages = await Promise.all(pageOffsets(total, limit).map((offset) => api.text(api.incidentsURL(state, limit, offset, CSV), CSV_ACCEPT)));
  const text = joinCSVPages(pages);
  // An import landing between the count and the pages could leave some
  // incidents out of the file, or in it twice; when the rows no longer add
  // up to the count, better no file than a wrong one.
  const rows = csvRows(text);
  if (rows !== total) throw new Error(`the incidents changed while they were downloaded (${total} matched, ${rows} received); try again`);
  return text;
}

/** pageOffsets are the offsets of the pages that hold total items. */
export function pageOffsets(total, limit) {
  const out = [0];
  for (let offset = limit; offset < total; offset += limit) out.push(offset);
  return out;
}

/**
 * joinCSVPages joins CSV pages that each start with the same header line,
 * keeping the first page's header only.
 */
export function joinCSVPages(pages) {
  const header = pages[0].slice(0, pages[0].indexOf('\n') + 1);
  return pages.map((p, i) => {
    if (i === 0) return p;
    // A page with other columns would make a file no spreadsheet reads.
    if (!p.startsWith(header)) throw new Error(`page ${i + 1} of the CSV does not start with the header of the first`);
    return p.slice(header.length);
  }).join('');
}

/**
 * csvRows counts the records after the header. A quoted field may hold a
 * line break, so only line ends outside quotes count ("" inside a quoted
 * field toggles twice and changes nothing).
 */
export function csvRows(text) {
  let ends = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) ends++;
  }
  return Math.max(0, ends - 1);
}

/** fileName says what a file holds: layer, filters, months and grid. */
export function fileName(kind, state, ext) {
  const what = state.priority || (state.category ? state.category.toLowerCase().replace(/[^a-z0-9]+/g, '-') : 'all-crime');
  const grid = kind === 'hex' ? `-res${state.res}-k${state.k}${state.study === 'points' ? '-points' : ''}` : kind === 'emerging' ? `-res${state.res}-k${state.k}` : '';
  // A partner source is in the name: the file holds its records, not police.uk's.
  const src = state.source ? `-${[state.source, ...(state.flags ?? []), state.days, state.hours].filter(Boolean).join('-')}` : '';
  return `hotspot-${kind}-${what}${src.replace(/[^A-Za-z0-9_-]+/g, '-')}-${state.from}_${state.to}${grid}.${ext}`;
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
