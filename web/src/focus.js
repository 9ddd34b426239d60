// The ward focus: a ward chosen on the map or from the list keeps the side
// panel's lists, charts and the print sheet to that ward (the API's
// `ward=`), and the link holds it (`ward=CODE`), so that a link shared
// before a ward meeting opens on the same panel. Clearing it returns to
// the whole city.

import * as store from './state/store.js';
import { writeURL } from './state/url.js';
import * as layers from './layers.js';
import { bounds } from './geo.js';
import { showNotice } from './status.js';

const $ = (id) => document.getElementById(id);

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

let refreshFn = () => {};
let panelFn = () => {};
let chartsFn = () => Promise.resolve();
// The longest the map waits for the panel before it moves.
const PANEL_FIRST_MS = 1000;
let filled = '';

/** wardFeature is the focused ward's feature in the current answer (or null). */
export function wardFeature(s = store.state()) {
  if (!s.ward) return null;
  return store.data().wards?.features.find((f) => f.properties.code === s.ward) ?? null;
}

/** focusName is the focused ward's name, '' for the whole city. */
export const focusName = (s = store.state()) => wardFeature(s)?.properties.name ?? '';

/**
 * focusWhere names the view's area in a title: the ward in focus by name,
 * by its code while the wards answer is still on its way (never "the
 * city" for a ward's figures), or the city.
 */
export function focusWhere(s = store.state()) {
  if (!s.ward) return 'the city';
  const name = focusName(s);
  return name ? `${name} ward` : `ward ${s.ward}`;
}

/**
 * resolveWard turns a link's ward (a code, or a name in any case) into a
 * code of the wards at hand; '' when it names none.
 */
export function resolveWard(v, wards) {
  if (!v) return '';
  const low = v.toLowerCase();
  const f = wards.find((w) => w.properties.code === v || w.properties.name.toLowerCase() === low);
  return f ? f.properties.code : '';
}

/**
 * wireFocus connects the ward list and the "whole city" button: refresh
 * redraws everything, panel the side lists, charts(state, current) loads
 * the charts (a promise).
 */
export function wireFocus({ refresh, panel, charts }) {
  refreshFn = refresh;
  panelFn = panel;
  chartsFn = charts;
  $('ward').addEventListener('change', (e) => setFocus(e.target.value, { fly: true }));
  $('focus-clear').addEventListener('click', () => setFocus('', { fly: true }));
}

/**
 * syncFocus fills the ward list once the wards are known, settles a
 * link's ward name into its code, and shows the focus on the map and the
 * bar above it. Called with every new answer.
 */
export function syncFocus({ map: onMap = true } = {}) {
  const wards = store.data().wards?.features ?? [];
  const key = wards.map((f) => f.properties.code).join(',');
  if (key && key !== filled) {
    filled = key;
    const sorted = [...wards].sort((a, b) => a.properties.name.localeCompare(b.properties.name));
    $('ward').replaceChildren(option('', 'Whole city'), ...sorted.map((f) => option(f.properties.code, f.properties.name)));
    $('ward').disabled = false;
  }
  const s = store.state();
  if (s.ward && wards.length) {
    const code = resolveWard(s.ward, wards);
    if (code !== s.ward) {
      if (!code) showNotice(`Ward “${s.ward}” is not one of the wards; showing the whole city.`);
      writeURL(store.updateState({ ward: code }));
    }
  }
  const f = wardFeature();
  $('ward').value = f ? f.properties.code : '';
  $('focus-bar').hidden = !f;
  $('focus-name').textContent = f ? `Panel kept to ${f.properties.name} ward` : '';
  document.body.dataset.focus = f ? f.properties.code : '';
  const map = store.map();
  if (map && onMap) layers.setFocus(map, f);
}

/**
 * setFocus keeps the panel to a ward (a code; '' for the whole city). The
 * panel is drawn first, from the answers at hand and the charts' own
 * requests; the map moves after, since a software-drawn frame holds the
 * page for a while and a planner reads the lists first.
 */
export function setFocus(code, { fly = false } = {}) {
  const s = store.state();
  if (s.ward === code) return;
  const now = store.updateState({ ward: code });
  writeURL(now);
  store.markFocus(performance.now());
  syncFocus({ map: false });
  panelFn();
  const settled = new Promise((resolve) => setTimeout(resolve, PANEL_FIRST_MS));
  Promise.race([chartsFn(now, () => store.state() === now).catch(() => {}), settled]).then(() => {
    if (store.state() !== now) return;
    const map = store.map();
    const f = wardFeature();
    if (fly && map) {
      const b = bounds(f ? [f] : store.data().wards?.features ?? []);
      if (b) map.fitBounds(b, { padding: 40, duration: 500 });
    }
    refreshFn();
  });
}
