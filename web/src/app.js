// The map page's start-up: reads the view from the URL, starts everything
// slow at once, builds the controls from the server's meta and makes the
// map with its first data. From then on the controls, map and lists call
// refresh() (refresh.js), which keeps map, legend, lists, details and URL
// in step. The state lives in state/store.js.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import * as api from './api.js';
import * as store from './state/store.js';
import { readState, writeURL, normalize } from './state/url.js';
import { wireActions } from './actions.js';
import { initForecast } from './forecast.js';
import { createMap } from './map.js';
import { localBasemap } from './basemap.js';
import { buildControls, setLargeText, wireStreets } from './controls.js';
import { answersFor, refresh, drawPanel } from './refresh.js';
import { loadCharts } from './charts.js';
import { setSynthetic } from './attribution.js';
import { setBusy, showNotice, fail } from './status.js';
import { whoami, wireSignIn } from './signin.js';
import { initAreas } from './areas.js';
import { wireFocus } from './focus.js';
import { wireDrawer } from './drawer.js';
import { prefetch } from './early.js';

// For the browser tests and a curious analyst's console (read-only).
window.hotspotApp = store.inspect();

const initial = readState(location.search);
setLargeText(initial.largeText);

// Everything slow starts at once: MapLibre's worker (it loads and compiles
// half a megabyte of script), the meta, and for a shared link its layers.
// The map itself is created when its first data are here, with them in
// its style, so that the worker tiles them once and the first frame drawn
// with data is the right one.
maplibregl.prewarm();
// Who the map is signed in as is settled first: a stored key that the
// server now refuses is dropped before any answer is asked for with it.
// (Without a key, early.js has asked already: these find its answers.)
const whoP = whoami();
const metaP = whoP.then(() => api.json('/api/v1/meta'));
const prioP = whoP.then(() => api.json('/api/v1/priorities'));
whoP.then(() => prefetch(initial));
// The server's own basemap when it has one (`serve --basemap`), whose code
// loads only then. There is no online basemap: the pages' policy lets
// nothing be fetched from another origin.
const basemapP = metaP.then((m) => localBasemap(m).catch((err) => {
  showNotice(`The streets basemap could not be loaded (${err.message}); showing the map without it.`);
  return null;
}), () => null);

main();

async function main() {
  const who = await whoP;
  wireSignIn(who);
  if (who?.dropped) showNotice('The saved key was refused by the server (revoked?), so the map shows the public view. Sign in again with a current key.');
  let meta, prios;
  try {
    [meta, prios] = await Promise.all([metaP, prioP]);
  } catch (err) {
    fail(err);
    return;
  }
  store.setServer(meta, prios.priorities);
  const { state, notices } = normalize(initial, meta, prios.priorities, document.body.dataset.role);
  store.setState(state);
  if (notices.length) showNotice(notices.join(' '));
  setSynthetic(meta.synthetic);
  buildControls();
  wireActions();
  wireFocus({ refresh, panel: drawPanel, charts: loadCharts });
  wireDrawer();
  initForecast();
  writeURL(store.state());
  if (meta.months.length === 0) {
    const basemap = await basemapP;
    wireStreets(Boolean(basemap));
    createMap(basemap, null, initial.view);
    setBusy(false, 'No incidents have been imported yet. Run “hotspot ingest” with police.uk files, then reload.', true);
    return;
  }
  // refresh() asks again on a failure and reports it in words.
  const firstP = answersFor(store.state()).catch(() => null);
  const basemap = await basemapP;
  wireStreets(Boolean(basemap));
  createMap(basemap, await firstP, initial.view);
  refresh();
  initAreas();
}
