// The whole view lives in the query string, so that a link copied before a
// Community Gold meeting opens exactly the same map. The URL is rewritten
// with history.replaceState (no history entry per pan or filter change).

import { readLocal, writeLocal, normalizeLocal } from './local.js';

export const LAYERS = ['gi', 'count', 'emerging', 'change', 'wards-count', 'wards-rate', 'wards-change', 'incidents', 'points'];
export const HEX_LAYERS = new Set(['gi', 'count']);
export const WARD_LAYERS = new Set(['wards-count', 'wards-rate', 'wards-change']);
// Layers drawn on an H3 grid, whose res and k apply: the hex layers and
// emerging hot spots (which take neither study nor inference).
export const GRID_LAYERS = new Set([...HEX_LAYERS, 'emerging', 'change']);
// What a change is measured against (DESIGN.md, "Significant change").
export const COMPARES = ['previous', 'year'];
// The fewest months emerging hot spots are found over (DESIGN.md).
export const MIN_EMERGING_MONTHS = 10;
// The hex study area: every cell of the area, or only cells holding a
// police.uk map point (where a crime can be recorded).
export const STUDIES = ['area', 'points'];
// How Gi* p-values are found. "auto" follows docs/inference.md: the normal
// approximation holds at coarse resolutions, where cells hold enough
// incidents, and over-calls at fine ones, where most cells are empty.
export const INFERENCES = ['auto', 'normal', 'permutation'];

/** inferenceFor is the inference a hex request uses for the state. */
export function inferenceFor(s) {
  if (s.inference === 'normal' || s.inference === 'permutation') return s.inference;
  return s.res != null && s.res >= 9 ? 'permutation' : 'normal';
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
// A register kind's spelling (e.g. "knife-vape-seller").
const KIND = /^[A-Za-z0-9_-]{1,40}$/;
// The roles that may see the premises register (premises.js).
const PREMISES_ROLES = ['partner', 'analyst', 'admin'];

/**
 * readState parses a query string. It checks only the shape of values;
 * whether a month or priority exists is decided against the server's meta
 * by normalize().
 */
export function readState(search) {
  const q = new URLSearchParams(search);
  const s = {
    priority: q.get('priority') || '',
    category: q.get('category') || '',
    from: q.get('from') || '',
    to: q.get('to') || '',
    layer: q.get('layer') || 'gi',
    res: intOr(q.get('res'), null),
    k: intOr(q.get('k'), null),
    study: q.get('study') || 'area',
    inference: q.get('inference') || 'auto',
    view: parseView(q.get('map')),
    // The basemap is on unless the link turned it off.
    streets: q.get('streets') !== 'off',
    largeText: q.get('text') === 'large',
    // The ward the panel is kept to (a code, or a name the meta resolves),
    // and the hexagon whose details are open.
    ward: q.get('ward') || '',
    h3: /^[0-9a-f]{15}$/.test(q.get('h3') || '') ? q.get('h3') : '',
    compare: q.get('compare') || 'previous',
    // The premises layer and the kinds ticked (none: every kind), so that a
    // link shared before a licensing meeting shows the same register.
    premises: q.get('premises') === 'on',
    kinds: (q.get('kinds') || '').split(',').filter((k) => KIND.test(k)),
    // The partner-record filters: source, flags, days, hours.
    ...readLocal(q),
  };
  return s;
}

/** toSearch writes a state back as a query string, keys in a fixed order. */
export function toSearch(s) {
  const q = new URLSearchParams();
  if (s.priority) q.set('priority', s.priority);
  else if (s.category) q.set('category', s.category);
  if (s.from) q.set('from', s.from);
  if (s.to) q.set('to', s.to);
  writeLocal(q, s);
  q.set('layer', s.layer);
  if (s.res != null) q.set('res', String(s.res));
  if (s.k != null) q.set('k', String(s.k));
  // The API's default is left out, so that older links stay as they were.
  if (s.study && s.study !== 'area') q.set('study', s.study);
  if (s.inference && s.inference !== 'auto') q.set('inference', s.inference);
  if (s.compare && s.compare !== 'previous') q.set('compare', s.compare);
  if (s.ward) q.set('ward', s.ward);
  if (s.h3) q.set('h3', s.h3);
  if (s.premises) q.set('premises', 'on');
  if (s.kinds?.length) q.set('kinds', s.kinds.join(','));
  if (s.view) q.set('map', `${s.view.zoom.toFixed(2)}/${s.view.lat.toFixed(5)}/${s.view.lon.toFixed(5)}`);
  if (s.streets === false) q.set('streets', 'off');
  if (s.largeText) q.set('text', 'large');
  // URLSearchParams spells spaces as "+", which reads badly in a shared
  // link; %20 means the same.
  return '?' + q.toString().replace(/\+/g, '%20');
}

/** writeURL replaces the current history entry with the state. */
export function writeURL(s) {
  const search = toSearch(s);
  if (search !== location.search) history.replaceState(null, '', location.pathname + search + location.hash);
}

/**
 * normalize fits a state read from a URL to what the server holds: unknown
 * priorities or months are replaced by defaults, with a notice in words so
 * that a stale link does not silently show something else.
 */
export function normalize(s, meta, priorities, role = 'public') {
  const notices = [];
  const out = { ...s, ...premisesFor(s, role) };
  const ids = new Set(priorities.map((p) => p.id));
  if (out.priority && out.category) {
    notices.push('The link gives both a priority and a crime type; showing the priority.');
    out.category = '';
  }
  if (out.priority && !ids.has(out.priority)) {
    notices.push(`Priority “${out.priority}” is not configured on this server; showing all crime types.`);
    out.priority = '';
  }
  if (out.category && !meta.categories.includes(out.category)) {
    notices.push(`Crime type “${out.category}” is not in the data; showing all crime types.`);
    out.category = '';
  }
  const months = meta.months;
  if (months.length === 0) {
    out.from = out.to = '';
  } else {
    for (const key of ['from', 'to']) {
      const v = out[key];
      if (v && (!MONTH.test(v) || !months.includes(v))) {
        const near = nearestMonth(months, v, key);
        notices.push(`${key === 'from' ? 'Start' : 'End'} month ${v} is not in the data; showing ${near}.`);
        out[key] = near;
      }
    }
    // The API's own defaults: "from" alone runs to the latest month, "to"
    // alone covers the twelve months ending there.
    if (!out.from && !out.to) {
      out.from = meta.default_from;
      out.to = meta.default_to;
    } else if (!out.to) {
      out.to = meta.latest_month;
    } else if (!out.from) {
      const i = months.indexOf(out.to);
      out.from = months[Math.max(0, i - 11)];
    }
    if (!months.includes(out.from)) out.from = nearestMonth(months, out.from, 'from');
    if (out.from > out.to) {
      notices.push('The start month was after the end month; the two were swapped.');
      [out.from, out.to] = [out.to, out.from];
    }
  }
  if (!LAYERS.includes(out.layer)) {
    notices.push(`Layer “${out.layer}” is unknown; showing hot spots.`);
    out.layer = 'gi';
  }
  if (!INFERENCES.includes(out.inference)) {
    notices.push(`Inference “${out.inference}” is unknown; choosing it by hexagon size.`);
    out.inference = 'auto';
  }
  if (!STUDIES.includes(out.study)) {
    notices.push(`Study area “${out.study}” is unknown; showing the whole area.`);
    out.study = 'area';
  }
  if (!COMPARES.includes(out.compare)) {
    notices.push(`Comparison “${out.compare}” is unknown; comparing with the previous period.`);
    out.compare = 'previous';
  }
  Object.assign(out, normalizeLocal(out, meta, priorities.find((p) => p.id === out.priority), notices));
  out.res = inRange(out.res, meta.res, 'Resolution', notices);
  out.k = inRange(out.k, meta.k, 'Neighbourhood size k', notices);
  return { state: out, notices };
}

/**
 * premisesFor is the premises layer a role may have from a link: the
 * register is for partner keys and above, so a public link drops it
 * quietly (the public view never mentions partner data).
 */
export function premisesFor(s, role) {
  if (!PREMISES_ROLES.includes(role)) return { premises: false, kinds: [] };
  return { premises: Boolean(s.premises), kinds: [...(s.kinds ?? [])] };
}

function inRange(v, range, what, notices) {
  if (v == null) return range.default;
  if (v < range.min || v > range.max) {
    notices.push(`${what} ${v} is outside ${range.min}–${range.max}; using ${range.default}.`);
    return range.default;
  }
  return v;
}

/** nearestMonth picks the closest month present: for a start, the first one
 * at or after it; for an end, the last one at or before it. */
function nearestMonth(months, v, key) {
  if (!MONTH.test(v)) return key === 'from' ? months[0] : months[months.length - 1];
  if (key === 'from') return months.find((m) => m >= v) ?? months[months.length - 1];
  return [...months].reverse().find((m) => m <= v) ?? months[0];
}

function intOr(v, dflt) {
  if (v == null || !/^-?\d+$/.test(v)) return dflt;
  return Number(v);
}

function parseView(v) {
  if (!v) return null;
  const parts = v.split('/').map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) return null;
  const [zoom, lat, lon] = parts;
  if (zoom < 0 || zoom > 22 || Math.abs(lat) > 85 || Math.abs(lon) > 180) return null;
  return { zoom, lat, lon };
}
