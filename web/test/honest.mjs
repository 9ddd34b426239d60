// Browser checks of "Honest hot spots" (DESIGN.md): hot cells without an
// incident drawn hatched and explained, the study-area switch in the
// request and the link, and the repeat-locations list ringing its points
// on the map. A suite of its own, on a fresh page at the retail-crime link,
// registered by e2e.mjs (which launches the browser).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, RETAIL, apiJSON, centre, legendText, openPage, rendered, waitIdle } from './helpers.mjs';
import { VIEW } from './browser.mjs';

/** honestHotSpots registers the suite; browser() is the launched browser. */
export function honestHotSpots(browser) {
  describe('honest hot spots', () => {
    // What every check works on: one page (and its context) for the suite.
    const t = { page: null, context: null, errors: [] };

    before(async () => {
      t.context = await browser().newContext({ viewport: VIEW });
      t.page = await openPage(t.context, t.errors);
    });

    after(async () => {
      await t.context?.close();
    });

    it('hatches a hot cell without incidents and says why it is hot', () => hatchedEmptyHot(t));
    it('switches the study area to where crime can be recorded, kept in the link', () => studySwitch(t));
    it('lists repeat locations and rings the one chosen', () => repeatList(t));

    it('logged no console error', () => {
      assert.deepEqual(t.errors, []);
    });
  });
}

/** hatchedEmptyHot: a hot cell without incidents is drawn hatched, and its details say why it is hot. */
async function hatchedEmptyHot({ page }) {
  const ans = await apiJSON(`/api/v1/hotspots/hex?${RETAIL}&res=9&k=1`);
  const empty = ans.features.find((f) => f.properties.gi_bin > 0 && f.properties.count === 0);
  assert.ok(empty, 'the shared data have no empty hot cell for these filters');
  const [lon, lat] = centre(empty.geometry);
  await page.goto(`${BASE}/?${RETAIL}&inference=normal&map=14/${lat}/${lon}`);
  await waitIdle(page);
  const hatched = await page.evaluate((h3) => window.hotspotMap.queryRenderedFeatures({ layers: ['hex-hatch'] }).some((f) => f.properties.h3 === h3), empty.properties.h3);
  assert.ok(hatched, 'the empty hot cell is not drawn hatched');
  assert.match(await legendText(page), /Hatched/);
  const pt = await page.evaluate(([lon, lat]) => {
    const map = window.hotspotMap;
    const box = map.getCanvas().getBoundingClientRect();
    const p = map.project([lon, lat]);
    return { x: box.left + p.x, y: box.top + p.y };
  }, [lon, lat]);
  await page.mouse.click(pt.x, pt.y);
  const details = page.locator('[data-testid="details"]');
  await details.waitFor({ state: 'visible' });
  assert.ok((await details.innerText()).includes(empty.properties.h3), 'another cell was opened');
  assert.match(await details.locator('[data-testid="empty-hot"]').innerText(), /Hot because its neighbours are busy — no incident recorded in this hexagon/);
  await page.click('#details-close');
}

/** studySwitch: the study area switches to where crime can be recorded, in the request and the link. */
async function studySwitch({ page, context, errors }) {
  const hexRequests = [];
  const onRequest = (r) => { if (r.url().includes('/api/v1/hotspots/hex')) hexRequests.push(r.url()); };
  page.on('request', onRequest);
  await page.check('[data-testid="study"]');
  await waitIdle(page);
  page.off('request', onRequest);
  assert.equal(hexRequests.length, 1, `hex requests: ${hexRequests.join(', ')}`);
  assert.equal(new URL(hexRequests[0]).searchParams.get('study'), 'points');
  assert.equal(new URL(page.url()).searchParams.get('study'), 'points');
  assert.match(await page.locator('#study-help').innerText(), /Only hexagons holding a police\.uk map point/);
  assert.match(await legendText(page), /only where crime can be recorded/);
  const api = await apiJSON(`/api/v1/hotspots/hex?${RETAIL}&res=9&k=1&study=points&inference=permutation`);
  assert.equal(api.hotspot.study, 'points');
  const ids = new Set(api.features.map((f) => f.properties.h3));
  const cells = await rendered(page);
  assert.ok(Object.keys(cells).length > 0);
  for (const id of Object.keys(cells)) assert.ok(ids.has(id), `rendered cell ${id} is outside the points study area`);
  // A copied link opens with the switch on.
  const other = await openPage(context, errors);
  await other.goto(page.url());
  await waitIdle(other);
  assert.equal(await other.isChecked('[data-testid="study"]'), true);
  await other.close();
  await page.uncheck('[data-testid="study"]');
  await waitIdle(page);
  assert.equal(new URL(page.url()).searchParams.get('study'), null);
}

/** repeatList: the busiest repeat locations are listed, and the one chosen is ringed on the map. */
async function repeatList({ page }) {
  const items = page.locator('[data-testid="repeats"] button');
  await items.first().waitFor();
  const api = await apiJSON(`/api/v1/repeats/locations?${RETAIL}&min=2&format=geojson`);
  assert.equal(await items.count(), Math.min(10, api.features.length));
  const p = api.features[1].properties;
  const text = await items.nth(1).innerText();
  assert.ok(text.startsWith(p.location), text);
  assert.ok(text.includes(`${p.count.toLocaleString('en-GB')} shoplifting offences, Mar 2024 – Sep 2024`), text);
  assert.ok(text.includes(p.top_outcome ?? 'No outcome recorded'), text);
  assert.equal(await items.nth(1).getAttribute('data-point'), p.id);
  await items.nth(1).click();
  await page.waitForFunction((pt) => {
    const m = window.hotspotMap;
    return !m.isMoving() && m.queryRenderedFeatures({ layers: ['repeat-highlight'] }).some((f) => f.properties.id === pt);
  }, p.id, { timeout: 30000 });
  assert.equal(await items.nth(1).getAttribute('aria-current'), 'true');
}
