// What the browser tests and the speed benchmark share: how Chromium is
// launched here, and the in-page timers that measure first paint and the
// redraw after a priority switch (measured by the tests, never reported by
// the app).

import { readFileSync, readdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * VIEW is the window the suites test in: a small laptop's. Chromium draws
 * the map in software here: at the README screenshot's 1366×768 it took
 * over 40 % of the test run's CPU, and this size cut that by a tenth.
 * The layout is the desktop one down to 760 px.
 */
export const VIEW = { width: 1024, height: 640 };

/**
 * TEST_SCALE is the device pixel ratio of a test's pages unless it asks
 * for another: half, as a reader at 50 % zoom has it. Layout, hit tests
 * and queryRenderedFeatures work in CSS pixels and are unchanged, while
 * software WebGL and the compositor draw a quarter of the pixels: the
 * browser tests alone took 105 CPU-s at 1 and 93 at 0.5 here. What is
 * timed against a target (the basemap's first paint, bench.mjs,
 * startup.mjs) and the README screenshot's context ask for 1, since a
 * quarter of the pixels draws faster than any real screen would.
 * Screenshots in artifacts/ are half size too; HOTSPOT_TEST_SCALE=1
 * takes them at full size for review.
 */
const TEST_SCALE = Number(process.env.HOTSPOT_TEST_SCALE) || 0.5;

/** FULL_SCALE is for pages whose speed is measured or shown. */
export const FULL_SCALE = { deviceScaleFactor: 1 };

/** The map's hex fill layer, whose rendered features the timers watch. */
export const HEX_LAYER = 'hex-fill';

/**
 * PLAYWRIGHT_DISABLED is playwright-core's own --disable-features list (as
 * of 1.65). Chromium applies only the last --disable-features it is
 * given, and Playwright puts its own first, so ours must repeat it;
 * launch() compares it with the browser's command line and fails,
 * saying what to change, when another Playwright disables other features.
 */
const PLAYWRIGHT_DISABLED = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'PaintHolding',
  'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect', 'TcpPortRandomizationWin',
  'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
  'msForceBrowserSignIn', 'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * OMNIBOX_WEBUI: Chromium 156's headless browser builds the address bar's
 * drop-down, a WebUI app, in a renderer of its own for every window it
 * opens, and no test ever shows it. Measured here: a page with the map
 * cost Chromium 5.3 CPU-seconds with it and 3.3 without (five loads, each
 * in a new context); at about:blank its renderer used 1.7 s against 0.3 s.
 */
const OMNIBOX_WEBUI = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

/**
 * launch starts Debian's Chromium with the flags this machine needs. Its
 * pages ask for reduced motion (unless a test asks otherwise), as some
 * readers do: the map then jumps instead of flying, so a test waits for
 * no camera animation, and software WebGL draws no frames in between.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      `--disable-features=${[...PLAYWRIGHT_DISABLED, ...OMNIBOX_WEBUI].join(',')}`],
  });
  try {
    const { missing, extra } = featuresDiffer();
    if (missing.length > 0 || extra.length > 0) {
      const fix = [missing.length > 0 && `add ${missing.join(', ')} (Chromium would enable them again)`,
        extra.length > 0 && `remove ${extra.join(', ')} (Playwright leaves them on)`].filter(Boolean);
      throw new Error(`web/test/browser.mjs's PLAYWRIGHT_DISABLED no longer matches Playwright's own --disable-features: ${fix.join('; ')}`);
    }
  } catch (e) {
    await browser.close(); // its pipes would keep this process alive
    throw e;
  }
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => newContext({ reducedMotion: 'reduce', deviceScaleFactor: TEST_SCALE, ...options });
  return browser;
}

/**
 * featuresDiffer reads the command line of the browser this process
 * started (its child driven over a pipe; Debian's /usr/bin/chromium execs
 * the browser itself) and compares Playwright's --disable-features, the
 * first, with PLAYWRIGHT_DISABLED: missing are the features Playwright
 * disables that the list lacks, extra those it names that Playwright
 * does not.
 */
function featuresDiffer() {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let args, stat;
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone, or not ours to read
    }
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent !== process.pid || !args.includes('--remote-debugging-pipe')) continue;
    const lists = args.filter((a) => a.startsWith('--disable-features=')).map((a) => a.slice(19).split(',').filter(Boolean));
    if (lists.length < 2) throw new Error(`the browser was started with ${lists.length} --disable-features lists, not Playwright's and ours`);
    const ours = new Set(PLAYWRIGHT_DISABLED);
    const theirs = new Set(lists[0]);
    return { missing: [...theirs].filter((f) => !ours.has(f)), extra: [...ours].filter((f) => !theirs.has(f)) };
  }
  throw new Error('the browser Playwright started was not found among this process\'s children');
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
