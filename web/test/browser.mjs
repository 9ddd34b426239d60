// What the browser tests and the speed benchmark share: how Chromium is
// launched here, and the in-page timers that measure first paint and the
// redraw after a priority switch (measured by the tests, never reported by
// the app).

import { chromium } from 'playwright-core';

/**
 * VIEW is the window the suites test in: a small laptop's. Chromium draws
 * the map in software here: at the README screenshot's 1366×768 it took
 * over 40 % of the test run's CPU, and this size cut that by a tenth.
 * The layout is the desktop one down to 760 px.
 */
export const VIEW = { width: 1024, height: 640 };

/** The map's hex fill layer, whose rendered features the timers watch. */
export const HEX_LAYER = 'hex-fill';

/**
 * launch starts Debian's Chromium with the flags this machine needs. Its
 * pages ask for reduced motion (unless a test asks otherwise), as some
 * readers do: the map then jumps instead of flying, so a test waits for
 * no camera animation, and software WebGL draws no frames in between.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => newContext({ reducedMotion: 'reduce', ...options });
  return browser;
}

/**
 * watchFirstPaint runs in the page (addInitScript): it records in
 * window.__firstHexPaint when hex features are first rendered in their
 * classes, from navigation start (performance.now()'s origin): the fill
 * colour is the legend's expression and the hex source is loaded (a frame
 * of cells in one placeholder colour, or cells being tiled again for new
 * paint, is not yet the map). window.__firstAnyHexPaint is the first frame
 * with any hex feature.
 */
export function watchFirstPaint() {
  window.__firstHexPaint = null;
  window.__firstAnyHexPaint = null;
  const poll = () => {
    const map = window.hotspotMap;
    if (!map) {
      requestAnimationFrame(poll);
      return;
    }
    const onRender = () => {
      if (!map.getLayer('hex-fill') || map.queryRenderedFeatures({ layers: ['hex-fill'] }).length === 0) return;
      window.__firstAnyHexPaint ??= performance.now();
      if (Array.isArray(map.getPaintProperty('hex-fill', 'fill-color')) && map.isSourceLoaded('hex')) {
        window.__firstHexPaint = performance.now();
        map.off('render', onRender);
      }
    };
    map.on('render', onRender);
  };
  poll();
}

/** The basemap's road and label layers the basemap timer watches. */
export const BASEMAP_ROADS = ['roads_major', 'roads_minor', 'roads_highway'];
export const BASEMAP_LABELS = ['roads_labels_major', 'places_locality'];

/**
 * watchBasemapPaint runs in the page (addInitScript, with [roads,
 * labels]): window.__basemapPaint.geometry is when a frame first shows hex
 * cells in their classes and roads, .labels when it shows street or place
 * names as well, from navigation start.
 */
export function watchBasemapPaint([roads, labels]) {
  window.__basemapPaint = { geometry: null, labels: null };
  const poll = () => {
    const map = window.hotspotMap;
    if (!map) {
      requestAnimationFrame(poll);
      return;
    }
    const has = (ids) => map.queryRenderedFeatures({ layers: ids.filter((id) => map.getLayer(id)) }).length > 0;
    // Cells in their classes, as watchFirstPaint has it.
    const classed = () => Array.isArray(map.getPaintProperty('hex-fill', 'fill-color')) && map.isSourceLoaded('hex');
    const onRender = () => {
      const p = window.__basemapPaint;
      if (!map.getLayer('hex-fill') || !has(['hex-fill']) || !classed() || !has(roads)) return;
      p.geometry ??= performance.now();
      if (has(labels)) {
        p.labels = performance.now();
        map.off('render', onRender);
      }
    };
    map.on('render', onRender);
  };
  poll();
}

/**
 * armSwitchTimer runs in the page (page.evaluate(armSwitchTimer, layer)):
 * the next change of the priority select starts a clock that stops at the
 * first frame whose rendered cells differ, into window.__switch.
 */
export function armSwitchTimer(layer) {
  const map = window.hotspotMap;
  const sig = () => map.queryRenderedFeatures({ layers: [layer] }).map((f) => `${f.properties.h3}:${f.properties.count}`).sort().join();
  const before = sig();
  window.__switch = null;
  document.querySelector('[data-testid="priority"]').addEventListener('change', () => {
    const t0 = performance.now();
    const check = () => {
      if (sig() !== before) {
        window.__switch = performance.now() - t0;
        map.off('render', check);
      }
    };
    map.on('render', check);
  }, { once: true });
}
