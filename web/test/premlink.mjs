// Browser checks of the premises layer in the shared link, the partner
// lists under a ward focus, and the top premises on the print sheet, on
// the synthetic demo city's `council` source (keys as in repeats.mjs).
// Under a ward focus the premises and offenders lists ask for the ward's
// records (ward=) and say which ward they count.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pdfPages } from './brief.mjs';
import { VIEW } from './browser.mjs';

const DEMO = (process.env.HOTSPOT_DEMO_URL || '').replace(/\/$/, '');
const ANALYST = process.env.HOTSPOT_DEMO_ANALYST_KEY || '';
const PARTNER = process.env.HOTSPOT_DEMO_PARTNER_KEY || '';
const skip = DEMO && ANALYST && PARTNER ? false : 'HOTSPOT_DEMO_URL and the demo keys not set';
const PARTNER_PATHS = ['/api/v1/repeats/premises', '/api/v1/premises', '/api/v1/repeats/offenders'];

const param = (page, k) => new URL(page.url()).searchParams.get(k);
const drawnKinds = (page) => page.evaluate(() => [...new Set(window.hotspotMap.queryRenderedFeatures({ layers: ['premises-points'] }).map((f) => f.properties.kind))]);

/** printed builds the sheet as the Print button does (the dialog stubbed) and checks it is one A4 page either way. */
async function printed(page) {
  await page.evaluate(() => { window.print = () => {}; });
  await page.click('[data-testid="print"]');
  for (const landscape of [false, true]) {
    const pdf = await page.pdf({ format: 'A4', landscape, printBackground: true });
    assert.equal(pdfPages(pdf), 1, `${landscape ? 'landscape' : 'portrait'} sheet is ${pdfPages(pdf)} pages`);
  }
  return page.locator('#print-sheet').textContent();
}

/** premisesRows are the sheet's premises rows, cells joined by tabs (the sheet is hidden on screen). */
const premisesRows = (page) => page.locator('[data-testid="print-premises"] tbody tr')
  .evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent).join('\t')));

/** premisesLinkSuite registers the checks; opened(browser, key, query, t) opens the demo as repeats.mjs does. */
export function premisesLinkSuite(browser, opened, settled) {
  describe('premises in the link, the ward focus and print', { skip }, () => {
    describe('as an analyst', () => {
      const t = { errors: [], requests: [] };
      before(() => opened(browser(), ANALYST, '?layer=count&source=council&premises=on&kinds=licensed', t));
      after(() => t.context?.close());

      it('restores the premises layer and its kinds from the link, and keeps changes there', async () => {
        assert.equal(await t.page.getByTestId('premises-show').isChecked(), true);
        assert.equal(await t.page.getByTestId('premises-kind-licensed').isChecked(), true);
        assert.deepEqual(await drawnKinds(t.page), ['licensed']);
        assert.equal(param(t.page, 'premises'), 'on');
        assert.equal(param(t.page, 'kinds'), 'licensed');
        await t.page.getByTestId('premises-kind-licensed').uncheck();
        await settled(t.page);
        assert.equal(param(t.page, 'kinds'), null);
        assert.ok((await drawnKinds(t.page)).length >= 3, 'every kind drawn once none is ticked');
        await t.page.getByTestId('premises-kind-licensed').check();
        await settled(t.page);
        assert.equal(param(t.page, 'kinds'), 'licensed');
      });

      it('prints the top premises by name, kind and count on one A4 page', async () => {
        const text = await printed(t.page);
        assert.match(text, /Top premises by partner records \(Licensed premises \(pubs, bars, clubs\)\), whole city/);
        // The demo city's sheet never calls itself Leicester.
        assert.match(text, /Synthetic demo city \(whole city\)/);
        assert.doesNotMatch(text, /Leicester/);
        const rows = await premisesRows(t.page);
        assert.equal(rows.length, 5);
        for (const r of rows) assert.match(r, /^\d\tSynthetic .+\tLicensed premises \(pubs, bars, clubs\)\t\d[\d,]* records?$/);
        // The sheet hides what overflows its one page: the table must fit inside it.
        await t.page.emulateMedia({ media: 'print' });
        const clipped = [];
        for (const size of [{ width: 794, height: 1123 }, { width: 1123, height: 794 }]) {
          await t.page.setViewportSize(size);
          const [sheet, table] = await Promise.all(['#print-sheet', '[data-testid="print-premises"]'].map((q) => t.page.locator(q).boundingBox()));
          if (table.y + table.height > sheet.y + sheet.height + 1) clipped.push(`premises table ends at ${table.y + table.height}, sheet at ${sheet.y + sheet.height} (${size.width}×${size.height})`);
        }
        // null, not 'screen': a PDF made after 'screen' would print the screen's layout.
        await t.page.emulateMedia({ media: null });
        assert.deepEqual(clipped, []);
        await t.page.setViewportSize(VIEW);
        await settled(t.page);
      });

      it('keeps the partner lists to the ward in focus, and says so', async () => {
        const code = await t.page.locator('[data-testid="ward"] option').nth(1).getAttribute('value');
        const name = await t.page.locator('[data-testid="ward"] option').nth(1).innerText();
        t.requests.length = 0;
        await t.page.selectOption('[data-testid="ward"]', code);
        const area = ` · ${name} ward`;
        // The lists are asked again once the panel has drawn the focus (up to a second later).
        await t.page.waitForFunction((n) => ['premises-subject', 'offenders-subject'].every((id) => document.getElementById(id).textContent.endsWith(n)), area, { timeout: 30000 });
        await settled(t.page);
        for (const id of ['#premises-subject', '#offenders-subject']) assert.doesNotMatch(await t.page.locator(id).innerText(), /whole city/);
        // The repeat list takes no ward: it names the ward and says its premises count all their records.
        assert.ok((await t.page.locator('#repeats-subject').innerText()).includes(area), await t.page.locator('#repeats-subject').innerText());
        assert.match(await t.page.locator('#repeats-note').innerText(), /Under a ward focus .* a premises still counts all its records/);
        const sent = t.requests.filter((u) => ['/api/v1/repeats/premises', '/api/v1/repeats/offenders'].includes(u.pathname));
        assert.deepEqual([...new Set(sent.map((u) => u.pathname))].sort(), ['/api/v1/repeats/offenders', '/api/v1/repeats/premises']);
        assert.ok(sent.every((u) => u.searchParams.get('ward') === code), sent.map(String).join('\n'));
        // The list shows the ward's figures: the busiest premises of the ward's answer, with its count.
        const u = sent.find((x) => x.pathname === '/api/v1/repeats/premises');
        const asAnalyst = async (q) => (await fetch(`${DEMO}/api/v1/repeats/premises?${q}`, { headers: { Authorization: `Bearer ${ANALYST}` } })).json();
        const inWard = await asAnalyst(u.searchParams.toString());
        const cityQ = new URLSearchParams(u.searchParams);
        cityQ.delete('ward');
        const records = (d) => d.premises.reduce((a, p) => a + p.count, 0);
        assert.ok(records(inWard) < records(await asAnalyst(cityQ.toString())), 'the ward should count fewer records than the city');
        const top = inWard.premises.find((p) => p.kind === 'licensed' && p.longitude != null);
        const first = t.page.locator('#premises-list button').first();
        assert.equal(await first.getAttribute('data-premises'), top.id);
        assert.ok((await first.innerText()).includes(top.count.toLocaleString('en-GB')), await first.innerText());
        assert.match(await printed(t.page), new RegExp(`Top premises by partner records .*${name} ward`));
        await t.page.click('[data-testid="focus-clear"]');
        await t.page.waitForFunction(() => document.getElementById('premises-subject').textContent.endsWith(' · whole city'), null, { timeout: 30000 });
        await settled(t.page);
      });

      it('logged no console error', () => assert.deepEqual(t.errors, []));
    });

    describe('as a partner', () => {
      const t = { errors: [], requests: [] };
      before(() => opened(browser(), PARTNER, '?layer=count&source=council&flag=knife', t));
      after(() => t.context?.close());

      it('prints withheld premises counts in words, never as zero', async () => {
        const text = await printed(t.page);
        assert.match(text, /Top premises by partner records, whole city/);
        const rows = await premisesRows(t.page);
        assert.ok(rows.length > 0 && rows.every((r) => !/\t0 records$/.test(r)), rows.join('\n'));
      });

      it('prints no premises on police.uk', async () => {
        await t.page.selectOption('[data-testid="source"]', '');
        await settled(t.page);
        await printed(t.page);
        assert.equal(await t.page.locator('[data-testid="print-premises"]').count(), 0);
      });

      it('logged no console error', () => assert.deepEqual(t.errors, []));
    });

    describe('as the public', () => {
      const t = { errors: [], requests: [] };
      before(() => opened(browser(), '', '?layer=count&premises=on&kinds=licensed', t));
      after(() => t.context?.close());

      it('ignores the premises layer of a link, drops it from the URL and asks for no premises', async () => {
        assert.equal(param(t.page, 'premises'), null);
        assert.equal(param(t.page, 'kinds'), null);
        assert.deepEqual(t.requests.filter((u) => PARTNER_PATHS.includes(u.pathname)).map(String), []);
        assert.equal(await t.page.evaluate(() => Boolean(window.hotspotMap.getLayer('premises-points'))), false);
        await printed(t.page);
        assert.equal(await t.page.locator('[data-testid="print-premises"]').count(), 0);
      });

      it('logged no console error', () => assert.deepEqual(t.errors, []));
    });
  });
}
