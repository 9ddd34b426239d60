// Browser check of the ward briefing (DESIGN.md, "Target areas,
// evaluations, briefings, reports"): Chromium prints it to exactly one A4
// page at its default margins, and the page asks for nothing beyond
// itself. A suite of its own on a fresh page, registered by e2e.mjs
// (which launches the browser).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BASE, openPage, waitIdle } from './helpers.mjs';
import { VIEW } from './browser.mjs';

/** pdfPages counts the pages of a PDF by its page objects. */
export function pdfPages(pdf) {
  const text = Buffer.from(pdf).toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

/** wardBrief registers the suite; browser() is the launched browser,
 * artifacts where the PDF goes. */
export function wardBrief(browser, artifacts) {
  describe('ward briefing in print', () => {
    it('is linked from the ward panel for the priority and months on show', async () => {
      const context = await browser().newContext({ viewport: VIEW });
      const errors = [];
      const page = await openPage(context, errors);
      await page.goto(`${BASE}/?priority=asb&from=2024-04&to=2024-09`);
      await waitIdle(page);
      const ward = page.locator('#top-wards button[data-ward]').first();
      const code = await ward.getAttribute('data-ward');
      await ward.click();
      const link = page.locator('[data-testid="ward-brief"]');
      await link.waitFor({ timeout: 10000 });
      const href = await link.getAttribute('href');
      assert.equal(href, `/briefings/wards/${code}?priority=asb&month=2024-09`);
      const res = await fetch(BASE + href);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/html/);
      assert.deepEqual(errors, []);
      await context.close();
    });

    for (const [ward, priority] of [['Castle', 'asb'], ['Castle', 'city-centre-violence'], ['Westcotes', 'retail-crime']]) {
      it(`prints ${ward} on ${priority} to one A4 page with no request leaving it`, async () => {
        const context = await browser().newContext();
        const errors = [];
        const page = await openPage(context, errors);
        const requests = [];
        page.on('request', (r) => requests.push(r.url()));
        const res = await page.goto(`${BASE}/briefings/wards/${ward}?priority=${priority}&month=2024-09`);
        assert.equal(res.status(), 200);
        assert.match(await page.locator('h1').innerText(), new RegExp(ward));
        assert.equal(await page.locator('svg.map').count(), 1, 'the ward map is drawn');
        const pdf = await page.pdf({ format: 'A4' });
        await writeFile(join(artifacts, `brief-${ward}-${priority}.pdf`), pdf);
        assert.equal(pdfPages(pdf), 1, 'the brief prints to one A4 page');
        const elsewhere = requests.filter((u) => !u.startsWith(BASE));
        assert.deepEqual(elsewhere, [], 'no request leaves the server');
        assert.deepEqual(requests.filter((u) => u !== res.url()), [], 'the page needs nothing beyond itself');
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  });
}
