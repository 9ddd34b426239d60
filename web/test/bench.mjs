// Speed of the web map in headless Chromium, for docs/benchmarks.md: first
// paint of the hex layer (navigation start → hex features rendered), each
// in a freshly launched browser, and the redraw after a priority switch
// (select change → first frame whose cells differ), each switch (and each
// ward focus) made once the page has settled (no request in flight for
// 300 ms: the side panels ask for theirs after the map has drawn). Prints
// medians.
//
//   HOTSPOT_URL=http://127.0.0.1:8080 node web/test/bench.mjs [RUNS]
//
// With HOTSPOT_BASEMAP_URL (a server started with --basemap), also the
// first paint with the basemap: hexes and roads, then names as well.

import { FULL_SCALE, HEX_LAYER, armSwitchTimer, launch, watchFirstPaint, watchBasemapPaint, BASEMAP_ROADS, BASEMAP_LABELS } from './browser.mjs';

const BASE = (process.env.HOTSPOT_URL || '').replace(/\/$/, '');
const RUNS = Number(process.argv[2] || 5);
if (!BASE) {
  console.error('HOTSPOT_URL is not set');
  process.exit(2);
}
const ready = (page) => page.waitForFunction(() => {
  const m = window.hotspotMap;
  return m && document.body.dataset.state === 'ready' && m.loaded() && !m.isMoving();
}, null, { timeout: 30000 });

async function switchOnce(page, to) {
  await page.evaluate(armSwitchTimer, HEX_LAYER);
  await page.selectOption('[data-testid="priority"]', to);
  await page.waitForFunction(() => window.__switch != null, null, { timeout: 30000 });
  await ready(page);
  return page.evaluate(() => window.__switch);
}

/**
 * settler returns a function that waits until the page has had no request
 * in flight for 300 ms (at most 30 s).
 */
function settler(page) {
  let inflight = 0;
  let last = Date.now();
  page.on('request', () => { inflight++; last = Date.now(); });
  const done = () => { inflight--; last = Date.now(); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return async () => {
    const end = Date.now() + 30000;
    while ((inflight > 0 || Date.now() - last < 300) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}; ${xs.map((x) => x.toFixed(0)).join(', ')})`;

const paints = [];
const switches = [];
const focuses = [];
// Ward focus: choice → the side lists and trend drawn for the ward (the
// app's own marks, window.hotspotApp.timings).
async function focusOnce(page, code) {
  await page.selectOption('[data-testid="ward"]', code);
  await page.waitForFunction((c) => document.getElementById('top-hex').dataset.ward === c && document.getElementById('trend').dataset.ward === c, code, { timeout: 30000 });
  const ms = await page.evaluate(() => window.hotspotApp.timings.panel - window.hotspotApp.timings.focusStart);
  await ready(page);
  return ms;
}
for (let i = 0; i < RUNS; i++) {
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, ...FULL_SCALE });
  const settled = settler(page);
  await page.addInitScript(watchFirstPaint);
  await page.goto(`${BASE}/?priority=asb&from=2024-01&to=2024-06`);
  await ready(page);
  paints.push(await page.evaluate(() => window.__firstHexPaint));
  // New answers each time (the map caches answers it has seen).
  const order = [['retail-crime', '2023-07'], ['asb', '2023-10'], ['retail-crime', '2024-02']];
  for (const [to, from] of order) {
    await settled();
    switches.push(await switchOnce(page, to));
    await page.selectOption('[data-testid="from"]', from);
    await ready(page);
  }
  await settled();
  for (const code of ['E05010463', 'E05010458', 'E05010476', 'E05010472']) {
    focuses.push(await focusOnce(page, code));
    await settled();
  }
  await browser.close();
}
console.log(`first hex paint, fresh browser (${RUNS} runs): ${fmt(paints)}`);
console.log(`priority switch (${switches.length} switches): ${fmt(switches)}`);
console.log(`ward focus switch (${focuses.length} switches): ${fmt(focuses)}`);

const BASEMAP = (process.env.HOTSPOT_BASEMAP_URL || '').replace(/\/$/, '');
if (BASEMAP) {
  const geometry = [];
  const labels = [];
  for (let i = 0; i < RUNS; i++) {
    const browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, ...FULL_SCALE });
    await page.addInitScript(watchBasemapPaint, [BASEMAP_ROADS, BASEMAP_LABELS]);
    await page.goto(`${BASEMAP}/?priority=asb&from=2024-01&to=2024-06&map=15.00/52.63300/-1.13000`);
    await page.waitForFunction(() => window.__basemapPaint?.labels != null, null, { timeout: 30000 });
    const p = await page.evaluate(() => window.__basemapPaint);
    geometry.push(p.geometry);
    labels.push(p.labels);
    await browser.close();
  }
  console.log(`first paint with the basemap, hexes and roads (${RUNS} runs): ${fmt(geometry)}`);
  console.log(`first paint with the basemap, hexes, roads and names (${RUNS} runs): ${fmt(labels)}`);
}
