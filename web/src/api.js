// The hotspot HTTP API, as the map uses it. Every answer the map draws is
// cached by its URL (the filters are the whole key), so switching back to
// an earlier priority or month range redraws without a request, and each
// filter change costs at most one request per layer. CSV downloads are
// asked for once and not kept.

import { inferenceFor } from './state/url.js';
import { authHeaders } from './signin.js';
import { localParams, fixedOf } from './state/local.js';
import * as store from './state/store.js';

/** ApiError carries the API's own message ({"error", "param"}) so that it
 * can be shown to the planner in words. */
export class ApiError extends Error {
  constructor(message, { status = 0, param = '', url = '' } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.param = param;
    this.url = url;
  }

  /** words says what went wrong in a sentence for the error banner. */
  words() {
    if (this.status === 0) return `The hotspot server could not be reached (${this.message}). Check that it is running, then reload.`;
    const where = this.param ? ` (parameter “${this.param}”)` : '';
    if (this.status >= 500) return `The server could not answer: ${this.message}${where}. Try again shortly.`;
    return `The server refused the request: ${this.message}${where}.`;
  }
}

/** The filters shared by every list endpoint, in a fixed order. */
export function filterParams(s) {
  const p = [];
  if (s.priority) p.push(['priority', s.priority]);
  else if (s.category) p.push(['category', s.category]);
  if (s.from) p.push(['from', s.from]);
  if (s.to) p.push(['to', s.to]);
  return [...p, ...sourceParams(s)];
}

/** sourceParams are the partner-record filters (source, flag, days,
 * hours) that the state's priority leaves free. */
function sourceParams(s) {
  const prio = s.priority ? store.priorities().find((x) => x.id === s.priority) : null;
  return localParams(s, fixedOf(prio));
}

/** url builds an API URL (relative to the page's origin). */
export function url(path, params = []) {
  const q = new URLSearchParams(params).toString().replace(/\+/g, '%20');
  return q ? `${path}?${q}` : path;
}

// The list endpoints take `extra` parameters after the filters: format=csv
// for the downloads.
export const hexURL = (s, extra = []) => url('/api/v1/hotspots/hex', [...filterParams(s), ['res', s.res], ['k', s.k], ...studyParam(s), ['inference', inferenceFor(s)], ...extra]);
export const emergingURL = (s, extra = []) => url('/api/v1/hotspots/emerging', [...filterParams(s), ['res', s.res], ['k', s.k], ...extra]);
export const wardsURL = (s, extra = []) => url('/api/v1/hotspots/wards', [...filterParams(s), ...compareParam(s), ...extra]);
// The map keeps incidents to the area (the wards, or the priority's) and
// draws the newest months first when there are more than it can draw.
export const incidentsURL = (s, limit, offset, extra = []) => url('/api/v1/incidents', [...filterParams(s), ['scope', 'area'], ['order', 'newest'], ['limit', limit], ['offset', offset], ...extra]);
export const changeURL = (s, extra = []) => url('/api/v1/hotspots/change', [...filterParams(s), ['res', s.res], ...compareParam(s), ...extra]);
// The map points (police.uk's snapped locations) with their counts, for
// the city or one ward (a code).
export const pointsURL = (s, ward = '', extra = []) => url('/api/v1/points', [...filterParams(s), ...(ward ? [['ward', ward]] : []), ...extra]);
// The incidents at one map point, newest first.
export const atURL = (s, lonLat, limit, offset) => url('/api/v1/incidents', [...filterParams(s), ['at', lonLat.join(',')], ['scope', 'area'], ['order', 'newest'], ['limit', limit], ['offset', offset]]);
export const seriesURL = (s, key) => url('/api/v1/series', [...filterParams(s), ...key]);
export const outcomesURL = (s, key) => url('/api/v1/outcomes', [...filterParams(s), ...key]);
export const concentrationURL = (s) => url('/api/v1/concentration', [...filterParams(s), ...wardParam(s), ...(s.res == null ? [] : [['res', s.res]])]);
/** The forecast's priority or crime type alone: it ranks the latest months
 * in the data, whatever months are on show. */
function subjectParams(s) {
  if (s.priority) return [['priority', s.priority], ...sourceParams(s)];
  return [...(s.category ? [['category', s.category]] : []), ...sourceParams(s)];
}
// The top 5 % of hexagons for next month, by the ranking the backtest
// chooses.
export const forecastURL = (s) => url('/api/v1/hotspots/forecast', [...subjectParams(s), ...wardParam(s), ['res', s.res], ['coverage', 5]]);
// How the top 5 % of the months before `to` (by count and by Gi*) caught
// `to` itself.
export const backtestURL = (s, train) => url('/api/v1/backtest', [...subjectParams(s), ['from', s.to], ['to', s.to], ['train', train], ['res', s.res], ['k', s.k], ['method', 'counts,gi'], ['coverage', 5]]);
// Points where at least two incidents were recorded: one incident is not a
// repeat. As GeoJSON: the map rings and flies to each place's point (the
// API's default answer is the plain list of DESIGN.md).
export const repeatsURL = (s) => url('/api/v1/repeats/locations', [...filterParams(s), ['min', 2], ['format', 'geojson']]);
// The premises register with its records under the filters (every kind:
// the map filters kinds itself), and the repeat offenders (analysts only),
// both counting the records of the ward in focus, if any.
export const premisesListURL = (s) => url('/api/v1/repeats/premises', [...filterParams(s), ...wardParam(s)]);
export const offendersURL = (s) => url('/api/v1/repeats/offenders', [...filterParams(s), ['min', 2], ...wardParam(s)]);
// The day × hour matrix of partner records, for the city or the ward in focus.
export const temporalURL = (s) => url('/api/v1/temporal', [...filterParams(s), ...wardParam(s)]);

/** wardParam keeps an answer to the ward in focus (a code), if any. */
function wardParam(s) {
  return s.ward ? [['ward', s.ward]] : [];
}

/** compareParam asks for the same months a year earlier; the default
 * (the previous period) is left out, so older links keep their URLs. */
function compareParam(s) {
  return s.compare === 'year' ? [['compare', 'year']] : [];
}

/** studyParam asks for the points study area; the API's default (the whole
 * area) is left out, so a link's answer keeps the URL it always had. */
function studyParam(s) {
  return s.study === 'points' ? [['study', 'points']] : [];
}

const MAX_ENTRIES = 48;
const cache = new Map(); // url → Promise<{text, data}>

/**
 * get fetches a URL once and keeps the answer: the parsed JSON for the map,
 * and the exact text for downloads, which must be the API's bytes.
 */
export function get(u) {
  const hit = cache.get(u);
  if (hit) {
    // Refresh its place: the map is an LRU by insertion order.
    cache.delete(u);
    cache.set(u, hit);
    return hit;
  }
  const p = load(u);
  cache.set(u, p);
  // A failure is not remembered: the next try asks again.
  p.catch(() => cache.delete(u));
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value);
  return p;
}

async function load(u) {
  const { text, status } = await request(u, 'application/json, application/geo+json');
  try {
    return { text, data: JSON.parse(text) };
  } catch {
    throw new ApiError('the answer was not valid JSON', { status, url: u });
  }
}

/**
 * text fetches a URL's body as it is, uncached: for CSV downloads, which
 * are asked for once and can be large. Errors are ApiErrors, as for get().
 */
export async function text(u, accept) {
  return (await request(u, accept)).text;
}

async function request(u, accept) {
  let res;
  try {
    res = await fetch(u, { headers: { ...authHeaders(), Accept: accept } });
  } catch (err) {
    throw new ApiError(err.message || 'network error', { url: u });
  }
  const body = await res.text();
  if (!res.ok) {
    let e = null;
    try {
      e = JSON.parse(body);
    } catch {
      // Not the API's JSON (a proxy's page, say): report the status.
    }
    throw new ApiError(e?.error || `HTTP ${res.status} ${res.statusText}`, { status: res.status, param: e?.param || '', url: u });
  }
  return { text: body, status: res.status };
}

/** json is get() for callers that need only the parsed answer. */
export const json = async (u) => (await get(u)).data;

/**
 * incidents loads incident pages (the API caps a page at `limit`) up to
 * `cap` features and merges them. It returns the merged collection and
 * the total the filters match, which may exceed what was loaded.
 */
export async function incidents(s, { limit, cap }) {
  const first = await json(incidentsURL(s, limit, 0));
  const total = first.numberMatched;
  const want = Math.min(total, cap);
  const rest = [];
  for (let offset = limit; offset < want; offset += limit) rest.push(json(incidentsURL(s, Math.min(limit, want - offset), offset)));
  const pages = [first, ...(await Promise.all(rest))];
  const features = pages.flatMap((p) => p.features);
  const meta = { ...first.hotspot };
  delete meta.limit;
  delete meta.offset;
  return {
    collection: { type: 'FeatureCollection', features, numberMatched: total, numberReturned: features.length, hotspot: meta },
    total,
  };
}
