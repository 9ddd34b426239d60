// Browser check of the emerging hot spot layer (DESIGN.md, "Emerging hot
// spots"): a window under 10 months asks for more, then the patterns are
// drawn with their legend, a cell's details show its monthly bins as a
// strip, and the download is the API's answer. A suite of its own on a
// fresh page, registered by e2e.mjs (which launches the browser).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BASE, apiJSON, legendText, openPage, waitIdle } from './helpers.mjs';
import { VIEW } from './browser.mjs';

/** emergingHotSpots registers the suite; browser() is the launched
 * browser, artifacts where its screenshot goes. */
export function emergingHotSpots(browser, artifacts) {
  describe('emerging hot spots on the map', () => {
    it('asks for 10 months, then draws the patterns with a legend, a bin strip and the export', async () => {
      const context = await browser().newContext({ viewport: VIEW, acceptDownloads: true });
      const errors = [];
      const page = await openPage(context, errors);
      await page.goto(`${BASE}/?priority=asb&from=2024-03&to=2024-09&layer=emerging`);
      await waitIdle(page, { hex: false });
      assert.match(await page.locator('[data-testid="status"]').innerText(), /at least 10 months/);
      assert.match(await legendText(page), /at least 10 months/);

      await page.selectOption('[data-testid="from"]', '2023-11');
      await waitIdle(page, { hex: false });
      await page.waitForFunction(() => window.hotspotMap.queryRenderedFeatures({ layers: ['emerging-fill'] }).length > 0, null, { timeout: 30000 });
      const legend = await legendText(page);
      assert.match(legend, /Emerging hot spots/);
      assert.match(legend, /No pattern/);
      const api = await apiJSON('/api/v1/hotspots/emerging?priority=asb&from=2023-11&to=2024-09&res=9&k=1');
      const patterned = api.features.filter((f) => f.properties.pattern !== 'no_pattern');
      assert.ok(patterned.length > 0, 'no cell with a pattern');
      assert.match(legend, /hot spot: /);

      // A patterned cell's details: its pattern in words and its 11 months.
      const pt = await page.evaluate(() => {
        const map = window.hotspotMap;
        const box = map.getCanvas().getBoundingClientRect();
        const f = map.queryRenderedFeatures({ layers: ['emerging-fill'] }).find((x) => x.properties.pattern !== 'no_pattern');
        const c = window.hotspotApp.data.emerging.features.find((x) => x.properties.h3 === f.properties.h3).geometry.coordinates[0];
        const mid = c.slice(0, -1).reduce((a, p) => [a[0] + p[0] / (c.length - 1), a[1] + p[1] / (c.length - 1)], [0, 0]);
        const p = map.project(mid);
        return { x: box.left + p.x, y: box.top + p.y, h3: f.properties.h3 };
      });
      await page.mouse.click(pt.x, pt.y);
      const details = page.locator('[data-testid="details"]');
      await details.locator('[data-testid="bin-strip"]').waitFor();
      const want = api.features.find((f) => f.properties.h3 === pt.h3).properties;
      assert.equal(await details.locator('svg.bin-strip rect[fill]').count(), want.bins.length);
      assert.equal(want.bins.length, 11);
      assert.match(await details.locator('[data-testid="pattern"]').innerText(), /(hot|cold) spot/i);
      assert.ok((await details.innerText()).includes(pt.h3));
      await page.screenshot({ path: join(artifacts, 'map-emerging.png') });

      // The download is the API's answer.
      const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-geojson"]')]);
      assert.equal(await readFile(await file.path(), 'utf8'),
        await (await fetch(`${BASE}/api/v1/hotspots/emerging?priority=asb&from=2023-11&to=2024-09&res=9&k=1`)).text());
      assert.equal(new URL(page.url()).searchParams.get('layer'), 'emerging');
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
