// Browser checks of the offline basemap (DESIGN.md, "The map's places"):
// against a server started with `--basemap` on the small archive that
// make-basemap.sh builds (GDAL, then go-pmtiles), roads and their names
// and the place name draw under and over the hot spots, the Streets switch
// hides them and stays in the link, and no request leaves the server.
// Registered by e2e.mjs when HOTSPOT_BASEMAP_URL is set.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, waitIdle } from './helpers.mjs';
import { BASEMAP_ROADS as ROADS, BASEMAP_LABELS as LABELS, watchBasemapPaint, VIEW, FULL_SCALE } from './browser.mjs';

const BM = (process.env.HOTSPOT_BASEMAP_URL || '').replace(/\/$/, '');
// Central Leicester, where the test archive has Granby Street and friends.
const BASEMAP_LINK = '/?priority=asb&from=2024-01&to=2024-06&map=15.00/52.63300/-1.13000';
// Target for the first meaningful paint with the basemap (issue 15).
const PAINT_MS = 2000;
// The server's Content-Security-Policy must still name no other origin with
// a local basemap (DESIGN.md, "Access"), and the page must break none of
// it: a violation is a test failure, so the basemap provably needs no
// other origin.
function recordViolations() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
}

/** drawn lists rendered features of layers as "layer:name". */
function drawn(page, layers) {
  return page.evaluate((ids) => {
    const m = window.hotspotMap;
    return m.queryRenderedFeatures({ layers: ids.filter((id) => m.getLayer(id)) }).map((f) => `${f.layer.id}:${f.properties.name ?? ''}`);
  }, layers);
}

/** basemapSuite registers the suite; browser() is the launched browser. */
export function basemapSuite(browser, figures, artifacts, strict) {
  describe('the offline basemap', { skip: BM ? false : 'HOTSPOT_BASEMAP_URL not set' }, () => {
    const t = { page: null, context: null, errors: [], requests: [] };

    before(async () => {
      t.context = await browser().newContext({ viewport: VIEW, ...FULL_SCALE });
      await t.context.addInitScript(watchBasemapPaint, [ROADS, LABELS]);
      await t.context.addInitScript(recordViolations);
      t.page = await openPage(t.context, t.errors);
      t.page.on('request', (r) => t.requests.push(r.url()));
    });

    after(async () => {
      await t.context?.close();
    });

    it('draws roads, street names and the place name with the hot spots', async () => {
      const { page } = t;
      const nav = await page.goto(BM + BASEMAP_LINK);
      assert.equal(nav.status(), 200);
      const csp = nav.headers()['content-security-policy'] ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /connect-src 'self'/);
      assert.doesNotMatch(csp, /https?:|\*/, `the policy names another origin: ${csp}`);
      await waitIdle(page);
      // Labels are placed only once their glyphs are in: wait for them.
      await page.waitForFunction((ids) => {
        const m = window.hotspotMap;
        return m.areTilesLoaded() && m.queryRenderedFeatures({ layers: ids }).length > 0;
      }, LABELS, { timeout: 30000 });
      const roads = await drawn(page, ROADS);
      assert.ok(roads.includes('roads_major:Granby Street'), `roads drawn: ${roads}`);
      const labels = await drawn(page, LABELS);
      assert.ok(labels.includes('roads_labels_major:Granby Street'), `labels drawn: ${labels}`);
      assert.ok(labels.includes('places_locality:Leicester'), `labels drawn: ${labels}`);
      // Geometry under the hot spots, labels over them.
      const order = await page.evaluate(() => window.hotspotMap.getStyle().layers.map((l) => l.id));
      assert.ok(order.indexOf('roads_major') < order.indexOf('hex-fill'), 'roads are drawn over the hexagons');
      assert.ok(order.indexOf('places_locality') > order.indexOf('hex-fill'), 'place names are drawn under the hexagons');
      assert.match(await page.locator('.maplibregl-ctrl-attrib').innerText(), /OpenStreetMap/);

      const { geometry, labels: paint } = await page.evaluate(() => window.__basemapPaint);
      assert.ok(geometry > 0 && paint > 0, 'first paint with the basemap not recorded');
      figures['first paint with the basemap (navigation start → hexes and roads rendered)'] = `${geometry.toFixed(0)} ms`;
      figures['first paint with the basemap (navigation start → hexes, roads and names rendered)'] = `${paint.toFixed(0)} ms`;
      if (strict) assert.ok(paint < PAINT_MS, `first paint with the basemap ${paint.toFixed(0)} ms ≥ ${PAINT_MS} ms`);
      await page.screenshot({ path: join(artifacts, 'map-basemap.png') });
    });

    it('asked nothing of any other origin, and broke no self-only policy', async () => {
      assert.deepEqual(await t.page.evaluate(() => window.__cspViolations), []);
      const origin = new URL(BM).origin;
      const away = t.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
      assert.deepEqual(away, []);
      // The archive is read in byte ranges and the glyphs come from hotspot.
      assert.ok(t.requests.some((u) => u.endsWith('/basemap/basemap.pmtiles')), 'the archive was not read');
      assert.ok(t.requests.some((u) => /\/basemap\/fonts\/.+\/0-255\.pbf$/.test(u)), 'no glyphs were asked for');
    });

    it('hides the streets with the switch, in the link too', async () => {
      const { page } = t;
      await page.uncheck('[data-testid="streets"]');
      assert.equal(new URL(page.url()).searchParams.get('streets'), 'off');
      await page.waitForFunction((ids) => window.hotspotMap.queryRenderedFeatures({ layers: ids }).length === 0, [...LABELS, ...ROADS]);
      await page.check('[data-testid="streets"]');
      assert.equal(new URL(page.url()).searchParams.get('streets'), null);
      await page.waitForFunction((ids) => window.hotspotMap.queryRenderedFeatures({ layers: ids }).length > 0, ROADS);
    });

    it('logged no console error', () => {
      assert.deepEqual(t.errors, []);
    });
  });
}
