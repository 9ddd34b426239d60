// Browser checks of "Where to patrol next month": the forecast's target
// hexagons listed by street as the API ranks them, the sentence on how
// the choice has done, the check of the months on show against the
// latest, and the targets outlined on the map only when asked. A suite
// of its own, on a fresh page at the retail-crime link, registered by
// e2e.mjs (which launches the browser).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, RETAIL, apiJSON, openPage, waitIdle } from './helpers.mjs';
import { VIEW } from './browser.mjs';

/** forecastSection registers the suite; browser() is the launched browser. */
export function forecastSection(browser) {
  describe('where to patrol next month', () => {
    const t = { page: null, context: null, errors: [] };

    before(async () => {
      t.context = await browser().newContext({ viewport: VIEW });
      t.page = await openPage(t.context, t.errors);
      await t.page.goto(`${BASE}/?${RETAIL}&layer=gi&res=9&k=1`);
      await waitIdle(t.page);
    });

    after(async () => {
      await t.context?.close();
    });

    it('lists the targets as the API ranks them and says how the choice has done', () => targetList(t));
    it('checks the months on show against the latest', () => latestCheck(t));
    it('outlines the targets only when asked', () => outline(t));

    it('logged no console error', () => {
      assert.deepEqual(t.errors, []);
    });
  });
}

async function targetList({ page }) {
  const items = page.locator('[data-testid="forecast"] button');
  await items.first().waitFor();
  const api = await apiJSON('/api/v1/hotspots/forecast?priority=retail-crime&res=9&coverage=5');
  assert.equal(await items.count(), Math.min(10, api.features.length));
  for (const i of [0, 1]) {
    const p = api.features[i].properties;
    assert.equal(await items.nth(i).getAttribute('data-h3'), p.h3);
    assert.ok((await items.nth(i).innerText()).startsWith(p.top_location), p.top_location);
  }
  const summary = await page.locator('[data-testid="forecast-summary"]').innerText();
  const h = api.hotspot;
  // "(5 % of 778)", or "(5 % of 778; only 12 scored above 0)" when fewer cells scored.
  assert.ok(summary.includes(`(${h.coverage} % of ${h.cells.toLocaleString('en-GB')}`), summary);
  assert.ok(summary.includes(`${Math.round(h.pei * 100)} %`), summary);
  // A Gi* cluster is not a target, and the page says so.
  assert.match(await page.locator('.forecast').innerText(), /not a Gi\* hot spot/);
}

async function latestCheck({ page }) {
  const check = page.locator('[data-testid="forecast-check"]');
  await check.waitFor();
  const b = await apiJSON('/api/v1/backtest?priority=retail-crime&from=2024-09&to=2024-09&train=6&res=9&k=1&method=counts,gi&coverage=5');
  const counts = b.rows.find((r) => r.method === 'counts');
  const text = await check.innerText();
  assert.ok(text.startsWith('Check on Sep 2024'), text);
  assert.ok(text.includes(`caught ${counts.hits.toLocaleString('en-GB')} of its ${counts.incidents.toLocaleString('en-GB')} incidents`), text);
}

async function outline({ page }) {
  const drawn = () => page.evaluate(() => window.hotspotMap.querySourceFeatures('forecast').length);
  assert.equal(await drawn(), 0);
  await page.locator('[data-testid="forecast"] button').first().click();
  assert.equal(await page.isChecked('[data-testid="forecast-show"]'), true);
  await page.waitForFunction(() => {
    const m = window.hotspotMap;
    return !m.isMoving() && m.queryRenderedFeatures({ layers: ['forecast-targets'] }).length > 0;
  }, null, { timeout: 30000 });
  await page.uncheck('[data-testid="forecast-show"]');
  await page.waitForFunction(() => window.hotspotMap.querySourceFeatures('forecast').length === 0, null, { timeout: 10000 });
}
