// The application's state, in one place, changed only through the
// functions below, so that a reader can find every writer by name.
//
// It holds what more than one module reads or changes: the view state
// (filters, layer, grid, map position, text size: what the URL holds;
// state/url.js reads and writes it there), the server's
// meta and priorities, the layers' answers, the selection, the synthetic
// flag and the map. A module's own memo (the ward label markers, the
// incident request in flight, the details panel's generation) stays
// private to that module.
//
// The view state is replaced, never changed in place, and frozen: a caller
// that kept it (a load under way) still sees the filters it started with.

const app = {
  state: null,
  meta: null,
  priorities: [],
  data: Object.freeze({ hex: null, wards: null, incidents: null, emerging: null, change: null, points: null, compare: 'previous' }),
  // The repeat locations for the current filters (their own request: the
  // map does not wait for them).
  repeats: null,
  // Source id → the data object the map was last given, so that the same
  // answer is never handed to the map's worker twice.
  applied: {},
  selection: null, // {kind: 'hex'|'ward', id}
  synthetic: false,
  map: null,
  // Whether the camera has been placed (by the link or the wards' bounds).
  fitted: false,
  timings: { start: performance.now() },
};

export const state = () => app.state;

/** setState replaces the view state with a frozen copy of s. */
export function setState(s) {
  app.state = Object.freeze({ ...s });
  return app.state;
}

/** updateState replaces some of the view state's fields. */
export const updateState = (patch) => setState({ ...app.state, ...patch });

export const meta = () => app.meta;
export const priorities = () => app.priorities;

/** setServer keeps what the server said about itself at start-up. */
export function setServer(meta, priorities) {
  app.meta = meta;
  app.priorities = priorities;
}

export const data = () => app.data;

/** setData keeps the answers the view is drawn from. */
export function setData({ hex, wards, incidents, emerging = null, change = null, points = null, compare = 'previous' }) {
  app.data = Object.freeze({ hex, wards, incidents, emerging, change, points, compare });
}

export const repeats = () => app.repeats;
export function setRepeats(d) {
  app.repeats = d;
}

export const applied = (id) => app.applied[id];
export function markApplied(id, d) {
  app.applied[id] = d;
}

export const selection = () => app.selection;
export function setSelection(sel) {
  app.selection = sel;
}

export const synthetic = () => app.synthetic;

/** setSynthetic says whether the data are the demo city's; true if that changed. */
export function setSynthetic(on) {
  const changed = app.synthetic !== on;
  app.synthetic = on;
  return changed;
}

export const map = () => app.map;
export function setMap(m) {
  app.map = m;
}

export const fitted = () => app.fitted;
export function setFitted(on) {
  app.fitted = on;
}

/** markFocus records when the ward focus last changed (for the speed test). */
export function markFocus(now) {
  app.timings.focusStart = now;
}

/** markPanel records when the side panel had drawn the current focus. */
export function markPanel(now) {
  app.timings.panel = now;
}

/** markIdle records when the map had drawn a view, first and latest. */
export function markIdle(now) {
  app.timings.lastIdle = now;
  app.timings.firstIdle ??= now;
}

/**
 * inspect is a read-only window on the state, for the browser tests and a
 * curious analyst's console (window.hotspotApp).
 */
export function inspect() {
  const out = {};
  for (const key of ['state', 'meta', 'priorities', 'data', 'repeats', 'selection', 'synthetic', 'map', 'fitted']) {
    Object.defineProperty(out, key, { get: () => app[key], enumerable: true });
  }
  Object.defineProperty(out, 'timings', { get: () => ({ ...app.timings }), enumerable: true });
  return Object.freeze(out);
}
