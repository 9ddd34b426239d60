// The first requests, made as soon as this small module has loaded (an
// async script of its own) rather than once the map's half-megabyte of
// script has been run: the meta, the priorities, a shared link's layers
// and, with a basemap, its code. They land in api.js's cache, which
// app.js shares (a page has one instance of a module), so app.js finds
// them on their way. Signed in, nothing is asked here: app.js settles
// first whether the stored key is still good.

import * as api from './api.js';
import { key } from './signin.js';
import { readState } from './state/url.js';

if (!key()) {
  api.json('/api/v1/meta').then((m) => m.basemap && import('./vendor/basemap.mjs')).catch(() => {});
  api.get('/api/v1/priorities').catch(() => {});
  prefetch(readState(location.search));
}

/**
 * prefetch asks for a shared link's layers before the meta has confirmed
 * its filters: when they are valid (the usual case) refresh() finds the
 * answers already on their way in the cache, under the same URLs.
 */
export function prefetch(s) {
  // Only links that look valid: a refused guess would be a wasted request
  // (and an error in the browser's console).
  const month = /^\d{4}-(0[1-9]|1[0-2])$/;
  if (!month.test(s.from) || !month.test(s.to) || s.from > s.to || (s.priority && s.category)) return;
  if ((s.res != null && (s.res < 6 || s.res > 10)) || (s.k != null && (s.k < 1 || s.k > 3))) return;
  // Partner records wait for the meta, which says whether this key may see them.
  if (s.source || s.flags?.length || s.days || s.hours) return;
  const guess = { ...s, res: s.res ?? 9, k: s.k ?? 1 };
  api.get(api.hexURL(guess)).catch(() => {});
  api.get(api.wardsURL(guess)).catch(() => {});
}
