// What the map asks for on a cold start, for finding its critical path:
// every request (start, end, bytes on the wire and decoded) against the
// first hex paint and, with a basemap, the first paint with names, in a
// freshly launched headless Chromium. A profiling aid, not a test.
//
//   HOTSPOT_URL=http://127.0.0.1:8080 node web/test/startup.mjs [QUERY]

import { FULL_SCALE, launch, watchFirstPaint, watchBasemapPaint, BASEMAP_ROADS, BASEMAP_LABELS } from './browser.mjs';

const BASE = (process.env.HOTSPOT_URL || '').replace(/\/$/, '');
const QUERY = process.argv[2] || '?priority=asb&from=2024-01&to=2024-06&map=15.00/52.63300/-1.13000';
if (!BASE) {
  console.error('HOTSPOT_URL is not set');
  process.exit(2);
}

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, ...FULL_SCALE });
await page.addInitScript(watchFirstPaint);
await page.addInitScript(watchBasemapPaint, [BASEMAP_ROADS, BASEMAP_LABELS]);
await page.goto(`${BASE}/${QUERY}`);
await page.waitForFunction(() => {
  const m = window.hotspotMap;
  return m && document.body.dataset.state === 'ready' && m.loaded() && !m.isMoving();
}, null, { timeout: 60000 });
// Whatever the idle map asks for after it is ready (charts, lists).
await page.waitForTimeout(1500);
const r = await page.evaluate(() => ({
  hex: window.__firstHexPaint,
  basemap: window.__basemapPaint,
  dcl: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
  resources: performance.getEntriesByType('resource').map((e) => ({
    name: e.name.replace(location.origin, ''), start: e.startTime, end: e.responseEnd, wire: e.transferSize, body: e.decodedBodySize,
  })),
}));
await browser.close();

const ms = (x) => (x == null ? '—' : `${x.toFixed(0)} ms`);
console.log(`DOMContentLoaded ${ms(r.dcl)}; first hex paint ${ms(r.hex)}; basemap roads ${ms(r.basemap.geometry)}, names ${ms(r.basemap.labels)}`);
let wire = 0;
for (const e of r.resources.sort((a, b) => a.start - b.start)) {
  wire += e.wire;
  const mark = e.end <= (r.hex ?? Infinity) ? '*' : ' ';
  console.log(`${mark} ${e.start.toFixed(0).padStart(6)} → ${e.end.toFixed(0).padStart(6)}  ${String(e.wire).padStart(8)} ${String(e.body).padStart(8)}  ${e.name.slice(0, 110)}`);
}
console.log(`${r.resources.length} requests, ${wire} bytes on the wire (* ended before the first hex paint)`);
