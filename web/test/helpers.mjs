// What the browser test suites share: pages that record console errors,
// waiting for the map to settle, reading its rendered cells, and asking
// the API under test directly.

import assert from 'node:assert/strict';
import { HEX_LAYER as HEX } from './browser.mjs';

/** The server under test (HOTSPOT_URL; e2e.mjs refuses to run without it). */
export const BASE = (process.env.HOTSPOT_URL || '').replace(/\/$/, '');

/** A page that fails the test on any console error or uncaught exception. */
export async function openPage(context, errors) {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return page;
}

/** waitIdle waits until the map shows the current state, fully drawn. */
export async function waitIdle(page, { hex = true } = {}) {
  await page.waitForFunction((hex) => {
    const m = window.hotspotMap;
    if (!m || document.body.dataset.state !== 'ready') return false;
    if (!m.loaded() || m.isMoving() || !m.isSourceLoaded('hex')) return false;
    return !hex || m.queryRenderedFeatures({ layers: ['hex-fill'] }).length > 0;
  }, hex, { timeout: 30000 });
}

/** rendered returns the rendered hex cells: h3 → {count, gi_bin}. */
export async function rendered(page) {
  return page.evaluate((layer) => {
    const out = {};
    for (const f of window.hotspotMap.queryRenderedFeatures({ layers: [layer] })) {
      out[f.properties.h3] = { count: f.properties.count, gi_bin: f.properties.gi_bin };
    }
    return out;
  }, HEX);
}

export const legendText = (page) => page.locator('[data-testid="legend"]').innerText();
export const value = (page, id) => page.locator(`[data-testid="${id}"]`).inputValue();

/** centre is the mean of a polygon's outer ring (the closing point left out). */
export function centre(geometry) {
  const ring = geometry.coordinates[0].slice(0, -1);
  return ring.reduce((a, p) => [a[0] + p[0] / ring.length, a[1] + p[1] / ring.length], [0, 0]);
}

export const RETAIL = 'priority=retail-crime&from=2024-03&to=2024-09';

export async function apiJSON(path) {
  const res = await fetch(BASE + path);
  assert.equal(res.status, 200, `${path}: HTTP ${res.status}`);
  return res.json();
}
