// Browser checks of the repeat lists and the premises layer (DESIGN.md,
// "Partner records" and "Access") on the synthetic demo city's `council`
// source: an analyst sees repeat locations named by premises, the
// premises layer and list, and the repeat offenders, whose premises the
// map rings and fits; a partner sees premises with withheld counts marked
// and never asks for offenders; the public asks for no premises at all.
// Keys as in sources.mjs (HOTSPOT_DEMO_ANALYST_KEY, _PARTNER_KEY).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './helpers.mjs';
import { premisesLinkSuite } from './premlink.mjs';
import { councilTypesOffered, partnerTypesSuite, policeTypesOnly } from './partnertypes.mjs';
import { VIEW } from './browser.mjs';

const DEMO = (process.env.HOTSPOT_DEMO_URL || '').replace(/\/$/, '');
const ANALYST = process.env.HOTSPOT_DEMO_ANALYST_KEY || '';
const PARTNER = process.env.HOTSPOT_DEMO_PARTNER_KEY || '';
const skip = DEMO && ANALYST && PARTNER ? false : 'HOTSPOT_DEMO_URL and the demo keys not set';
const LISTS = ['repeats', 'premises-list', 'offenders-list'];

/** settled waits until the map is drawn and no list on show says Loading. */
async function settled(page) {
  await page.waitForFunction((ids) => {
    const m = window.hotspotMap;
    if (!m || document.body.dataset.state !== 'ready' || !m.loaded() || m.isMoving()) return false;
    return ids.every((id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      return !el || el.closest('[hidden]') || !/Loading/.test(el.textContent);
    });
  }, LISTS, { timeout: 30000 });
}

/** opened opens the demo (with a key in the session, as the sign-in form leaves it, or none). */
async function opened(browser, key, query, t) {
  t.context = await browser.newContext({ viewport: VIEW, acceptDownloads: true });
  t.page = await openPage(t.context, t.errors);
  t.page.on('request', (r) => {
    if (r.url().startsWith(DEMO)) t.requests.push(new URL(r.url()));
  });
  if (key) {
    await t.context.addInitScript((k) => {
      if (!sessionStorage.getItem('key-given')) sessionStorage.setItem('hotspot-key', k);
      sessionStorage.setItem('key-given', '1');
    }, key);
  }
  await t.page.goto(`${DEMO}/${query}`);
  await settled(t.page);
}

const asked = (t, path) => t.requests.filter((u) => u.pathname === path);

async function csvLines(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const chunks = await (await dl.createReadStream()).toArray();
  return { name: dl.suggestedFilename(), lines: Buffer.concat(chunks).toString().trim().split('\n') };
}

/**
 * clickPremises clicks a drawn premises well inside the map (withheld or
 * not) and returns the name of the one on top there.
 */
async function clickPremises(page, withheld) {
  const at = await page.evaluate((withheld) => {
    const m = window.hotspotMap;
    const w = m.getCanvas().clientWidth, h = m.getCanvas().clientHeight;
    const f = m.queryRenderedFeatures({ layers: ['premises-points'] }).find((x) => {
      const p = m.project(x.geometry.coordinates);
      if (x.properties.suppressed !== withheld || p.x < 80 || p.y < 80 || p.x > w - 80 || p.y > h - 80) return false;
      return m.queryRenderedFeatures([p.x, p.y], { layers: ['premises-points'] })[0].properties.suppressed === withheld;
    });
    const p = m.project(f.geometry.coordinates);
    const r = m.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y, name: m.queryRenderedFeatures([p.x, p.y], { layers: ['premises-points'] })[0].properties.name };
  }, withheld);
  await page.mouse.click(at.x, at.y);
  return at;
}

/** ringed is what the map rings: its points and whether the view holds them all. */
const ringed = (page) => page.evaluate(async () => {
  const m = window.hotspotMap;
  const pts = (await m.getSource('premises-ring').getData()).features.map((f) => f.geometry.coordinates);
  const b = m.getBounds();
  return { n: pts.length, inView: pts.every((c) => b.contains(c)) };
});

export function repeatListsSuite(browser) {
  describe('repeat lists and the premises layer', { skip }, () => {
    describe('as an analyst', () => {
      const t = { errors: [], requests: [] };
      before(() => opened(browser(), ANALYST, '?layer=count&source=council', t));
      after(() => t.context?.close());

      it('lists repeat locations named by their premises and kind, and the premises and offenders', async () => {
        const first = t.page.locator('[data-testid="repeats"] button').first();
        assert.match(await first.innerText(), /Synthetic .*\n.*(Licensed premises|Shops|Takeaways|Hostels|Other premises).*\n\d+ records, Jan 2024 – Dec 2024/);
        assert.match(await t.page.getByTestId('repeats-note').innerText(), /partner records/);
        assert.equal(await t.page.locator('[data-testid="premises-list"] li').count(), 10);
        assert.match(await t.page.getByTestId('premises-total').innerText(), /^Top 10 of \d+ premises \(the register holds \d+\)\.$/);
        const off = t.page.locator('[data-testid="offenders-list"] button');
        assert.ok(await off.count() > 0, 'no repeat offender listed');
        assert.match(await off.first().locator('.pick-title').innerText(), /^[0-9a-f]{8}…$/);
        assert.match(await t.page.getByTestId('offenders-note').innerText(), /pseudonym — not a name; HMAC of the partner’s reference/);
        const u = asked(t, '/api/v1/repeats/offenders').at(-1);
        assert.deepEqual(['source', 'min'].map((k) => u.searchParams.get(k)), ['council', '2']);
      });

      it('draws the premises layer by kind, filters it by kind and opens a premises on click', async () => {
        await t.page.getByTestId('premises-show').check();
        await settled(t.page);
        const kinds = await t.page.locator('[data-testid="premises-kinds"] input').evaluateAll((is) => is.map((i) => i.value));
        assert.ok(kinds.includes('licensed') && kinds.length >= 3, `kinds ${kinds}`);
        await t.page.getByTestId('premises-kind-licensed').check();
        await settled(t.page);
        const drawn = await t.page.evaluate(() => window.hotspotMap.queryRenderedFeatures({ layers: ['premises-points'] }).map((f) => f.properties.kind));
        assert.ok(drawn.length > 0, 'no premises drawn');
        assert.deepEqual([...new Set(drawn)], ['licensed']);
        assert.match(await t.page.locator('[data-testid="premises-list"] button').first().innerText(), /Licensed premises/);
        // A click on a drawn premises: its popup says name, kind, count and months.
        const at = await clickPremises(t.page, false);
        const popup = t.page.getByTestId('premises-popup');
        await popup.waitFor();
        const text = await popup.innerText();
        assert.ok(text.includes(at.name), `${text} does not name ${at.name}`);
        assert.match(text, /Licensed premises \(pubs, bars, clubs\)\n\d[\d,]* records?, Jan 2024 – Dec 2024/);
        await t.page.getByTestId('premises-kind-licensed').uncheck();
        await settled(t.page);
      });

      it('rings every premises of an offender and fits the map to them', async () => {
        const b = t.page.locator('[data-testid="offenders-list"] button:not([disabled])').first();
        const places = Number(await b.getAttribute('data-places'));
        assert.ok(places > 1, `the first offender has ${places} premises with a place`);
        await b.click();
        await t.page.waitForFunction(() => !window.hotspotMap.isMoving() && window.hotspotMap.isSourceLoaded('premises-ring'));
        await settled(t.page);
        assert.deepEqual(await ringed(t.page), { n: places, inView: true });
        assert.equal(await b.getAttribute('aria-current'), 'true');
        // A premises of the list rings only itself.
        await t.page.locator('[data-testid="premises-list"] button').first().click();
        await settled(t.page);
        assert.deepEqual(await ringed(t.page), { n: 1, inView: true });
      });

      it('downloads each list as CSV', async () => {
        const prem = await csvLines(t.page, 'premises-csv');
        assert.equal(prem.lines[0], 'rank,id,name,kind,count,withheld,longitude,latitude');
        assert.match(prem.name, /^hotspot-premises-council-2024-01_2024-12\.csv$/);
        const off = await csvLines(t.page, 'offenders-csv');
        assert.equal(off.lines[0], 'rank,pseudonym,count,first_month,last_month,premises');
        assert.match(off.lines[1], /^1,[0-9a-f]{16},\d+,2024-\d\d,2024-\d\d,SYN-P/);
        const loc = await csvLines(t.page, 'repeats-csv');
        assert.equal(loc.lines[0], 'rank,location,count,premises,premises_name,premises_kind,ward,longitude,latitude');
        assert.ok(loc.lines.length > 2);
      });

      // Last: it picks a partner record type, which changes the lists.
      it('offers the council source’s record types, and counts one when picked (partner record types)', () => councilTypesOffered(t, ANALYST, settled));

      it('logged no console error', () => assert.deepEqual(t.errors, []));
    });

    describe('as a partner', () => {
      const t = { errors: [], requests: [] };
      before(() => opened(browser(), PARTNER, '?layer=count&source=council&flag=knife', t));
      after(() => t.context?.close());

      it('never asks for repeat offenders, and says they need an analyst key', async () => {
        assert.deepEqual(asked(t, '/api/v1/repeats/offenders').map(String), []);
        assert.match(await t.page.getByTestId('offenders-list').innerText(), /needs an analyst key/);
        assert.equal(await t.page.getByTestId('offenders-csv').isVisible(), false);
      });

      it('marks withheld premises counts, in the list and on the map, never as zero', async () => {
        assert.match(await t.page.getByTestId('premises-total').innerText(), /\d+ with fewer than 5 records, withheld from a partner key \(not zero\)/);
        await t.page.getByTestId('premises-show').check();
        await settled(t.page);
        const withheld = await t.page.evaluate(() => window.hotspotMap.queryRenderedFeatures({ layers: ['premises-points'] })
          .filter((f) => f.properties.suppressed).map((f) => f.properties.count));
        assert.ok(withheld.length > 0, 'no withheld premises drawn');
        assert.ok(withheld.every((c) => c < 0), 'a withheld premises drawn with a count');
        assert.match(await t.page.getByTestId('premises-key').innerText(), /A hollow circle: fewer than 5 records, withheld/);
        const at = await clickPremises(t.page, true);
        const popup = t.page.getByTestId('premises-popup');
        await popup.waitFor();
        const text = await popup.innerText();
        assert.ok(text.includes(at.name), `${text} does not name ${at.name}`);
        assert.match(text, /fewer than 5 records \(withheld\), Jan 2024 – Dec 2024/);
      });

      it('lists only repeat locations of 5 records or more, and says so', async () => {
        assert.match(await t.page.getByTestId('repeats-note').innerText(), /fewer than 5 records are left out for a partner key/);
        const counts = await t.page.evaluate(() => window.hotspotApp.repeats.features.map((f) => f.properties.count));
        assert.ok(counts.every((c) => c >= 5), `counts ${counts}`);
      });

      it('signs out: the partner lists are gone', async () => {
        await Promise.all([t.page.waitForEvent('load'), t.page.getByTestId('signout').click()]);
        await settled(t.page);
        assert.equal(await t.page.getByTestId('premises-section').isVisible(), false);
        assert.equal(await t.page.getByTestId('offenders-section').isVisible(), false);
      });

      it('logged no console error', () => assert.deepEqual(t.errors, []));
    });

    describe('as the public', () => {
      const t = { errors: [], requests: [] };
      before(() => opened(browser(), '', '?layer=count', t));
      after(() => t.context?.close());

      it('shows no premises or offenders and asks for none', async () => {
        assert.equal(await t.page.getByTestId('premises-section').isVisible(), false);
        assert.equal(await t.page.getByTestId('offenders-section').isVisible(), false);
        // The page's own modules are named premises.js and so on: only the data count.
        const bad = t.requests.filter((u) => /^\/(api|tiles|ogc)\//.test(u.pathname) && /premises|offenders/.test(u.pathname));
        assert.ok(t.requests.some((u) => u.pathname === '/api/v1/repeats/locations'), 'the repeat locations were not asked for');
        assert.deepEqual(bad.map(String), []);
        assert.equal(await t.page.evaluate(() => Boolean(window.hotspotMap.getLayer('premises-points'))), false);
      });

      it('offers police.uk’s crime types alone (partner record types)', () => policeTypesOnly(t));

      it('logged no console error', () => assert.deepEqual(t.errors, []));
    });
  });
  premisesLinkSuite(browser, opened, settled);
  partnerTypesSuite(browser, opened, settled);
}
