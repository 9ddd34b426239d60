// Browser checks of target areas (DESIGN.md, "Target areas"): an analyst
// draws an area on the map (click the corners, double-click to finish),
// names it, sees it listed and evaluated (verdict and bar chart), and
// removes it. A suite of its own, registered by e2e.mjs; HOTSPOT_TEST_KEY
// is the analyst key .ci/web-test makes (skipped without one).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, RETAIL, openPage, waitIdle } from './helpers.mjs';

const KEY = process.env.HOTSPOT_TEST_KEY || '';

/** targetAreas registers the suite; browser() is the launched browser. */
export function targetAreas(browser) {
  describe('target areas', { skip: KEY ? false : 'HOTSPOT_TEST_KEY not set' }, () => {
    const t = { page: null, context: null, errors: [] };

    before(async () => {
      // Wider than VIEW: the area is drawn around the map's centre, where in
      // a 1024 px window the open details card (20 rem, at the right) lies.
      t.context = await browser().newContext({ viewport: { width: 1366, height: 768 } });
      await t.context.addInitScript((k) => sessionStorage.setItem('hotspot-key', k), KEY);
      t.page = await openPage(t.context, t.errors);
      await t.page.goto(`${BASE}/?${RETAIL}`);
      await waitIdle(t.page);
      await t.page.getByTestId('ta-list').locator('li').first().waitFor();
    });

    after(async () => {
      await t.context?.close();
    });

    it('draws, names and saves an area, then shows its evaluation', async () => {
      const { page } = t;
      await page.getByTestId('ta-draw').click();
      const box = await page.locator('#map').boundingBox();
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      await page.mouse.click(cx - 50, cy - 40);
      await page.mouse.click(cx + 50, cy - 40);
      await page.mouse.click(cx + 50, cy + 40);
      await page.mouse.dblclick(cx - 50, cy + 40);
      await page.getByTestId('ta-form').waitFor({ state: 'visible' });
      await page.getByTestId('ta-name').fill('Browser test area');
      await page.getByTestId('ta-actions').fill('patrols');
      await page.getByTestId('ta-save').click();
      await page.getByTestId('area-eval').waitFor({ state: 'visible' });
      assert.match(await page.getByTestId('ta-list').innerText(), /Browser test area/);
      if (!(await page.getByTestId('ta-control').inputValue())) {
        await page.getByTestId('ta-control').selectOption({ index: 1 });
      }
      await page.getByTestId('area-verdict').waitFor({ timeout: 10000 });
      assert.match(await page.getByTestId('area-verdict').innerText(), /against the control; (not )?significant|not testable|nothing to evaluate|no comparison/);
      assert.equal(await page.locator('[data-testid="area-eval"] svg rect').count(), 6, 'six bars: T, D and C before and after');
    });

    it('removes the area', async () => {
      const { page } = t;
      page.once('dialog', (d) => d.accept());
      await page.getByTestId('ta-delete').click();
      await page.waitForFunction(() => !document.querySelector('[data-testid="ta-list"]').innerText.includes('Browser test area'));
      assert.deepEqual(t.errors, []);
    });
  });
}
