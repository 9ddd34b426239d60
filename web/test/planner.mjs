// Browser checks of the planner's map (issue 15): hot spots named by
// street and ward, the map points and the incidents at one, incidents kept
// to the area, the ward focus held in the link, the one-page print sheet
// in both orientations, the charts, the drawer on a phone, the honest
// words on time of day, and the change layer. Registered by e2e.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, apiJSON, legendText, openPage, waitIdle } from './helpers.mjs';
import { VIEW } from './browser.mjs';

const LINK = '/?priority=asb&from=2024-01&to=2024-06';
const CASTLE = 'E05010463';
// The ward focus switch (choice → lists and trend drawn for the ward).
const FOCUS_MS = 300;

/** pdfPages counts the pages of a PDF by its page objects. */
export function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** focusTime is how long the last ward focus took to draw the panel, in ms. */
const focusTime = (page) => page.evaluate(() => {
  const t = window.hotspotApp.timings;
  return t.panel - t.focusStart;
});

async function chooseWard(page, code) {
  await page.selectOption('[data-testid="ward"]', code);
  await page.waitForFunction((c) => document.getElementById('top-hex').dataset.ward === c && document.getElementById('trend').dataset.ward === c, code, { timeout: 30000 });
}

/** plannerSuite registers the suite; browser() is the launched browser. */
export function plannerSuite(browser, figures, artifacts, strict) {
  describe('the planner’s map', () => {
    const t = { page: null, context: null, errors: [], requests: [] };

    before(async () => {
      t.context = await browser().newContext({ viewport: VIEW, acceptDownloads: true });
      t.page = await openPage(t.context, t.errors);
      t.page.on('request', (r) => t.requests.push(r.url()));
    });

    after(async () => {
      await t.context?.close();
      assert.deepEqual(t.errors, []);
    });

    it('names the top hot spots by street and ward, and says when to look elsewhere for times', async () => {
      const { page } = t;
      await page.goto(BASE + LINK);
      await waitIdle(page);
      const titles = await page.locator('[data-testid="top-hotspots"] .pick-title').allInnerTexts();
      assert.ok(titles.length > 0, 'no hot spots listed');
      for (const x of titles) {
        assert.doesNotMatch(x, /On or near On or near/i);
        assert.match(x, /^(On or near [^,]+, .+|Hexagon in .+)$/, x);
      }
      // A hot cell without incidents says why wherever it is listed.
      const items = await page.locator('[data-testid="top-hotspots"] button.empty-hot').count();
      assert.equal(await page.locator('[data-testid="top-hotspots"] button.empty-hot .pick-empty').count(), items);
      assert.match(await page.locator('[data-testid="time-note"]').innerText(), /no date, day or time of day.*partner records/);
      // The link holds the open hexagon (h3=), and opens its details.
      await page.locator('[data-testid="top-hotspots"] button').first().click();
      await page.locator('#details-title').waitFor();
      const h3 = new URL(page.url()).searchParams.get('h3');
      assert.match(h3 ?? '', /^[0-9a-f]{15}$/);
      const other = await t.context.newPage();
      await other.goto(page.url());
      await other.locator('[data-testid="details"]').waitFor({ state: 'visible', timeout: 30000 });
      assert.equal(await other.locator('#details-title').innerText(), titles[0]);
      await other.close();
      await page.click('#details-close');
      assert.equal(new URL(page.url()).searchParams.get('h3'), null);
    });

    it('keeps the panel to a chosen ward, in the link too, and back to the city', async () => {
      const { page } = t;
      await chooseWard(page, CASTLE);
      const ms = await focusTime(page);
      figures['ward focus switch (choice → lists and trend drawn)'] = `${ms.toFixed(0)} ms`;
      if (strict) assert.ok(ms < FOCUS_MS, `ward focus took ${ms.toFixed(0)} ms`);
      assert.equal(new URL(page.url()).searchParams.get('ward'), CASTLE);
      const titles = await page.locator('[data-testid="top-hotspots"] .pick-title').allInnerTexts();
      for (const x of titles) assert.match(x, /(, Castle|in Castle)$/, x);
      assert.match(await page.locator('#trend-title').innerText(), /Castle ward/);
      // 24 months, cut to those the data hold (they start in Jan 2023).
      assert.equal(await page.locator('#trend svg rect').count(), 18);
      // The crime types add up to the points' categories.
      const pts = await apiJSON(`/api/v1/points?priority=asb&from=2024-01&to=2024-06&ward=${CASTLE}`);
      const sum = pts.features.reduce((a, f) => a + Object.values(f.properties.categories).reduce((x, y) => x + y, 0), 0);
      // The city's note stands until the ward's points are in.
      await page.waitForFunction(() => /in Castle ward/.test(document.querySelector('#breakdown .legend-note')?.textContent ?? ''), null, { timeout: 30000 });
      assert.match(await page.locator('#breakdown').innerText(), new RegExp(`${sum.toLocaleString('en-GB')} located incidents in Castle ward`));
      // A shared link opens the same panel.
      const other = await t.context.newPage();
      await other.goto(page.url());
      await other.waitForFunction((c) => document.getElementById('top-hex').dataset.ward === c, CASTLE, { timeout: 30000 });
      assert.deepEqual(await other.locator('[data-testid="top-hotspots"] .pick-title').allInnerTexts(), titles);
      await other.close();
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="trend-csv"]')]);
      assert.match(dl.suggestedFilename(), /^hotspot-trend-asb-E05010463-/);
    });

    it('prints one A4 page, portrait and landscape, naming the ward', async () => {
      const { page } = t;
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      const sheet = page.locator('#print-sheet');
      assert.match(await sheet.locator('[data-testid="print-title"]').innerText(), /^Castle ward · Jan 2024 – Jun 2024 · Anti-social behaviour/);
      const html = await sheet.innerHTML();
      assert.match(html, /Top hot spots by street in Castle/);
      assert.match(html, /no date, day or time of day/);
      assert.match(html, /Gi\* z-score .* false-discovery-rate \(FDR\)/);
      assert.match(html, /police\.uk/);
      for (const landscape of [false, true]) {
        const pdf = await page.pdf({ format: 'A4', landscape, printBackground: true });
        assert.equal(pdfPages(pdf), 1, `${landscape ? 'landscape' : 'portrait'} sheet is ${pdfPages(pdf)} pages`);
      }
      await page.emulateMedia({ media: 'print' });
      for (const [name, size] of [['print-portrait', { width: 794, height: 1123 }], ['print-landscape', { width: 1123, height: 794 }]]) {
        await page.setViewportSize(size);
        await page.screenshot({ path: join(artifacts, `${name}.png`) });
      }
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize(VIEW);
      await page.click('[data-testid="focus-clear"]');
      await page.waitForFunction(() => document.getElementById('top-hex').dataset.ward === '', null, { timeout: 30000 });
      assert.equal(new URL(page.url()).searchParams.get('ward'), null);
    });

    it('draws map points sized by count and lists every incident at one', async () => {
      const { page } = t;
      // Every crime type, so that the busiest point needs a second page.
      await page.selectOption('[data-testid="priority"]', '');
      await page.selectOption('[data-testid="layer"]', 'points');
      await waitIdle(page, { hex: false });
      await page.waitForFunction(() => window.hotspotApp.data.points && window.hotspotMap.queryRenderedFeatures({ layers: ['map-points'] }).length > 0, null, { timeout: 30000 });
      assert.match(await legendText(page), /N incidents at this point/);
      // Zoomed in on the busiest point, so that no other circle covers it.
      const busiest = await page.evaluate(() => {
        const f = [...window.hotspotApp.data.points.features].sort((a, b) => b.properties.count - a.properties.count)[0];
        window.hotspotMap.jumpTo({ center: f.geometry.coordinates, zoom: 18 });
        return f.properties.count;
      });
      await waitIdle(page, { hex: false });
      const pt = await page.evaluate(() => {
        const box = window.hotspotMap.getCanvas().getBoundingClientRect();
        return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      });
      await page.mouse.click(pt.x, pt.y);
      await page.locator('[data-testid="point-list"] li').first().waitFor();
      assert.match(await page.locator('[data-testid="point-count"]').innerText(), new RegExp(`^${busiest.toLocaleString('en-GB')} incidents at this point`));
      assert.equal(await page.locator('[data-testid="point-list"] li').count(), Math.min(100, busiest));
      assert.ok(t.requests.some((u) => /\/api\/v1\/incidents\?.*at=.*scope=area&order=newest/.test(u)), 'no at= request');
      if (busiest > 100) {
        await page.click('[data-testid="point-more"]');
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid="point-list"] li').length === n, Math.min(200, busiest));
      }
      // Newest first, and nothing cut off.
      const months = await page.locator('[data-testid="point-list"] .pl-head').allInnerTexts();
      const ym = months.map((m) => new Date(`1 ${m.split(' · ')[0]}`).getTime());
      assert.deepEqual(ym, [...ym].sort((a, b) => b - a));
      const clipped = await page.evaluate(() => [...document.querySelectorAll('[data-testid="point-list"] li, [data-testid="point-list"] code')].filter((e) => e.scrollWidth > e.clientWidth + 1).length);
      assert.equal(clipped, 0, 'an incident line is clipped');
      await page.screenshot({ path: join(artifacts, 'points-panel.png') });
      await page.click('#details-close');
      await page.selectOption('[data-testid="priority"]', 'asb');
    });

    it('keeps incidents to the area, newest first, and says how many are drawn', async () => {
      const { page } = t;
      await page.evaluate(() => window.hotspotMap.jumpTo({ center: [-1.13, 52.635], zoom: 11.3 }));
      await page.selectOption('[data-testid="layer"]', 'incidents');
      await waitIdle(page, { hex: false });
      assert.ok(t.requests.some((u) => /\/api\/v1\/incidents\?priority=asb.*scope=area&order=newest/.test(u)));
      assert.match(await legendText(page), /[\d,]+ of [\d,]+ incidents drawn/);
      // Without a basemap's glyphs the clusters' numbers are HTML labels.
      await page.waitForFunction(() => document.querySelectorAll('.cluster-count').length > 0, null, { timeout: 30000 });
      assert.match(await page.locator('.cluster-count').first().innerText(), /^\d[\d.,k]*$/);
      await page.screenshot({ path: join(artifacts, 'incidents.png') });
    });

    it('shows significant change per hexagon against the same months last year', async () => {
      const { page } = t;
      await page.selectOption('[data-testid="layer"]', 'change');
      await page.selectOption('[data-testid="compare"]', 'year');
      await waitIdle(page, { hex: false });
      assert.ok(t.requests.some((u) => /\/api\/v1\/hotspots\/change\?.*compare=year/.test(u)), 'no change request with compare=year');
      assert.match(await legendText(page), /Significant change per hexagon/);
      assert.equal(new URL(page.url()).searchParams.get('compare'), 'year');
      const pt = await page.evaluate(() => {
        const map = window.hotspotMap;
        const f = map.queryRenderedFeatures({ layers: ['change-fill'] })[0];
        if (!f) return null;
        const ring = f.geometry.coordinates[0];
        const c = ring.slice(0, -1).reduce((a, p) => [a[0] + p[0] / (ring.length - 1), a[1] + p[1] / (ring.length - 1)], [0, 0]);
        const p = map.project(c);
        const box = map.getCanvas().getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      });
      if (pt) {
        await page.mouse.click(pt.x, pt.y);
        assert.match(await page.locator('[data-testid="change-words"]').innerText(), /A significant (rise|fall)/);
      }
      await page.screenshot({ path: join(artifacts, 'change.png') });
    });

    it('folds the controls into a drawer on a phone', async () => {
      // One device pixel per CSS pixel: the layout is the same, and software
      // WebGL draws a quarter of a 2× screen's pixels.
      const ctx = await browser().newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
      const page = await openPage(ctx, t.errors);
      await page.goto(BASE + LINK);
      await waitIdle(page);
      const map = await page.locator('#map').boundingBox();
      assert.ok(map.width * map.height > 0.75 * 390 * 844, `the map has ${map.width}×${map.height}`);
      const closed = await page.locator('#sidebar').boundingBox();
      assert.ok(closed.x + closed.width <= 0, 'the drawer is open at the start');
      await page.screenshot({ path: join(artifacts, 'phone-map.png') });
      await page.click('[data-testid="drawer-toggle"]');
      await page.waitForFunction(() => document.getElementById('sidebar').getBoundingClientRect().x >= 0);
      assert.equal(await page.locator('[data-testid="drawer-toggle"]').getAttribute('aria-expanded'), 'true');
      assert.ok(await page.locator('[data-testid="priority"]').isVisible());
      await page.screenshot({ path: join(artifacts, 'phone-drawer.png') });
      await page.click('[data-testid="drawer-toggle"]');
      await page.waitForFunction(() => document.getElementById('sidebar').getBoundingClientRect().right <= 0);
      await ctx.close();
    });
  });
}
