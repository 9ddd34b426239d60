// Browser checks of partner sources on the map (DESIGN.md, "Partner
// records" and "Access") against the synthetic demo city, whose `council`
// source holds a year of ASB records: an analyst picks the source, a flag
// and the night-time preset, and every request carries them; the day ×
// hour grid draws 7 × 24 cells; a partner sees withheld counts marked;
// signing out returns the map to police.uk. Keys come from .ci/web-test
// (HOTSPOT_DEMO_ANALYST_KEY, HOTSPOT_DEMO_PARTNER_KEY, made with
// `hotspot keys create` on the demo's data directory).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './helpers.mjs';
import { VIEW } from './browser.mjs';

const DEMO = (process.env.HOTSPOT_DEMO_URL || '').replace(/\/$/, '');
const ANALYST = process.env.HOTSPOT_DEMO_ANALYST_KEY || '';
const PARTNER = process.env.HOTSPOT_DEMO_PARTNER_KEY || '';
const skip = DEMO && ANALYST && PARTNER ? false : 'HOTSPOT_DEMO_URL and the demo keys not set';

/** settled waits until the map shows the current state and the grid has its answer. */
async function settled(page) {
  await page.waitForFunction(() => {
    const m = window.hotspotMap;
    const grid = document.getElementById('temporal');
    return m && document.body.dataset.state === 'ready' && m.loaded() && !m.isMoving() && !/Loading/.test(grid.textContent);
  }, null, { timeout: 30000 });
}

/** signedIn opens the demo with a key in the session, as the sign-in form leaves it. */
async function signedIn(browser, key, query, t) {
  t.context = await browser.newContext({ viewport: VIEW });
  t.page = await openPage(t.context, t.errors);
  t.page.on('request', (r) => {
    if (r.url().startsWith(DEMO)) t.requests.push(new URL(r.url()));
  });
  // Once per tab, so that signing out stays signed out.
  await t.context.addInitScript((k) => {
    if (!sessionStorage.getItem('key-given')) sessionStorage.setItem('hotspot-key', k);
    sessionStorage.setItem('key-given', '1');
  }, key);
  await t.page.goto(`${DEMO}/${query}`);
  await settled(t.page);
}

const apiCalls = (t, path) => t.requests.filter((u) => u.pathname === path);

export function sourcesSuite(browser) {
  describe('partner sources on the map', { skip }, () => {
    describe('as an analyst', () => {
      const t = { errors: [], requests: [] };
      before(() => signedIn(browser(), ANALYST, '?layer=count', t));
      after(() => t.context?.close());

      it('lists the council source, police.uk first, and says police.uk has no times', async () => {
        const opts = await t.page.locator('[data-testid="source"] option').evaluateAll((os) => os.map((o) => o.value));
        assert.deepEqual(opts, ['', 'council', 'all']);
        assert.match(await t.page.getByTestId('local-reason').innerText(), /police\.uk has no time of day or flags/);
        assert.equal(await t.page.getByTestId('night-preset').isDisabled(), true);
        assert.match(await t.page.getByTestId('temporal').innerText(), /police\.uk has no time of day/);
      });

      it('sends the source, a flag and the night preset with every map request, and keeps them in the link', async () => {
        // One change after another, as a planner clicks: only the last
        // view is drawn, and its requests are checked.
        await t.page.getByTestId('source').selectOption('council');
        await t.page.getByTestId('flag-knife').check();
        t.requests.length = 0;
        await t.page.getByTestId('night-preset').click();
        await settled(t.page);
        for (const path of ['/api/v1/hotspots/hex', '/api/v1/hotspots/wards', '/api/v1/series', '/api/v1/temporal', '/api/v1/hotspots/forecast']) {
          // The last one is the view on show (earlier ones may be the
          // flag's, started before the preset was clicked).
          const u = apiCalls(t, path).at(-1);
          assert.ok(u, `no ${path} request after the preset`);
          assert.deepEqual(['source', 'flag', 'days', 'hours'].map((k) => u.searchParams.get(k)), ['council', 'knife', 'fri,sat', '20-04'], `${u}`);
        }
        const link = new URL(t.page.url());
        assert.deepEqual(['source', 'flag', 'days', 'hours'].map((k) => link.searchParams.get(k)), ['council', 'knife', 'fri,sat', '20-04']);
        assert.equal(await t.page.getByTestId('night-preset').getAttribute('aria-pressed'), 'true');
        assert.match(await t.page.getByTestId('legend-subject').innerText(), /source council · Knife involved · Fri–Sat nights 20:00–04:00/);
        assert.match(await t.page.locator('.maplibregl-ctrl-attrib').innerText(), /Partner records: council \(the partnership's own, not open data\)/);
        // The trend's note speaks of partner records, which carry times.
        assert.match(await t.page.locator('#trend').innerText(), /Partner records carry a time/);
        assert.doesNotMatch(await t.page.locator('#trend').innerText(), /police\.uk gives no day or time/);
      });

      it('draws the day × hour grid: 7 × 24 cells with their counts, and its CSV', async () => {
        assert.equal(await t.page.locator('[data-testid="heat-grid"] rect.heat-cell').count(), 168);
        const title = await t.page.locator('rect.heat-cell[data-day="4"][data-hour="22"] title').textContent();
        assert.match(title, /^Fri 22:00–22:59: \d+ records?$/);
        // Outside the nights asked for: a known zero.
        assert.equal(await t.page.locator('rect.heat-cell[data-day="1"][data-hour="12"] title').textContent(), 'Tue 12:00–12:59: 0 records');
        const [dl] = await Promise.all([t.page.waitForEvent('download'), t.page.getByTestId('temporal-csv').click()]);
        const csv = await (await dl.createReadStream()).toArray();
        const lines = Buffer.concat(csv).toString().trim().split('\n');
        assert.equal(lines.length, 8);
        assert.match(lines[0], /^day,h00,.*,h23$/);
      });

      it('sets and locks what a priority fixes, and says so', async () => {
        t.requests.length = 0;
        await t.page.getByTestId('priority').selectOption('night-drinking');
        await settled(t.page);
        assert.equal(await t.page.getByTestId('source').inputValue(), 'council');
        assert.equal(await t.page.getByTestId('source').isDisabled(), true);
        assert.equal(await t.page.getByTestId('night-preset').getAttribute('aria-pressed'), 'true');
        assert.equal(await t.page.getByTestId('day-fri').isDisabled(), true);
        assert.equal(await t.page.getByTestId('flag-knife').isDisabled(), false, 'a flag the priority leaves free was locked');
        assert.match(await t.page.getByTestId('local-lock').innerText(), /Priority “Night-time street drinking” fixes these filters \(source council, Fri–Sat nights 20:00–04:00\)/);
        // The server applies what the priority fixes; the map sends the rest.
        const u = apiCalls(t, '/api/v1/hotspots/hex').at(-1);
        assert.deepEqual(['priority', 'source', 'flag', 'days', 'hours'].map((k) => u.searchParams.get(k)), ['night-drinking', null, 'knife', null, null]);
      });

      it('logged no console error', () => assert.deepEqual(t.errors, []));
    });

    describe('as a partner', () => {
      const t = { errors: [], requests: [] };
      before(() => signedIn(browser(), PARTNER, '?layer=count&source=council&flag=knife&ward=S05000002', t));
      after(() => t.context?.close());

      it('offers no "every source" and draws withheld counts grey, with the legend saying so', async () => {
        const opts = await t.page.locator('[data-testid="source"] option').evaluateAll((os) => os.map((o) => o.value));
        assert.deepEqual(opts, ['', 'council']);
        assert.match(await t.page.getByTestId('legend').innerText(), /Grey: fewer than 5 records: withheld from a partner key/);
        assert.equal(await t.page.locator('[data-testid="layer"] option[value="incidents"]').isDisabled(), true);
      });

      it('draws the grid for the ward in focus', async () => {
        assert.equal(await t.page.locator('#temporal-title').innerText(), 'Day and hour · Castle ward');
        const u = apiCalls(t, '/api/v1/temporal').at(-1);
        assert.deepEqual(['source', 'flag', 'ward'].map((k) => u.searchParams.get(k)), ['council', 'knife', 'S05000002']);
      });

      it('marks withheld hours in the grid, never as zero', async () => {
        const withheld = t.page.locator('rect.heat-cell.withheld');
        assert.ok(await withheld.count() > 0, 'no withheld cell for knife records');
        assert.match(await withheld.first().locator('title').textContent(), /fewer than 5 records, withheld$/);
        assert.equal(await withheld.first().getAttribute('fill'), 'url(#heat-withheld)');
        assert.match(await t.page.getByTestId('temporal-withheld').innerText(), /Hatched \(\d+ hours\)/);
        if (process.env.HOTSPOT_ARTIFACTS) await t.page.screenshot({ path: `${process.env.HOTSPOT_ARTIFACTS}/map-partner.png`, fullPage: true });
      });

      it('asks for no incident-level partner records', () => {
        // Repeat locations are asked for: the server leaves out places of
        // fewer than --suppress-below records (web/test/repeats.mjs).
        for (const path of ['/api/v1/points', '/api/v1/incidents', '/api/v1/concentration', '/api/v1/backtest']) {
          const bad = apiCalls(t, path).filter((u) => u.searchParams.get('source'));
          assert.deepEqual(bad.map(String), [], `${path} asked for partner records`);
        }
      });

      it('signs out back to police.uk, the partner source gone', async () => {
        t.requests.length = 0;
        await Promise.all([t.page.waitForEvent('load'), t.page.getByTestId('signout').click()]);
        await settled(t.page);
        assert.equal(new URL(t.page.url()).searchParams.get('source'), null);
        const opts = await t.page.locator('[data-testid="source"] option').evaluateAll((os) => os.map((o) => o.value));
        assert.deepEqual(opts, ['']);
        assert.match(await t.page.getByTestId('temporal').innerText(), /police\.uk has no time of day/);
        assert.ok(t.requests.every((u) => !u.searchParams.get('source')), 'a request after signing out named a source');
        assert.doesNotMatch(await t.page.locator('.maplibregl-ctrl-attrib').innerText(), /Partner records/);
      });

      it('logged no console error', () => assert.deepEqual(t.errors, []));
    });
  });
}
