// Browser checks of signing in (DESIGN.md, "Access"): the map starts as
// the public, refuses a wrong key in words, signs in with a real one (kept
// in sessionStorage, never in the link), sends it with every request to
// the API, shows the role, and signing out clears it. A suite of its own,
// registered by e2e.mjs; HOTSPOT_TEST_KEY is an analyst key made by
// .ci/web-test (the suite is skipped without one).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, RETAIL, openPage, waitIdle } from './helpers.mjs';
import { VIEW } from './browser.mjs';

const KEY = process.env.HOTSPOT_TEST_KEY || '';

/** signIn registers the suite; browser() is the launched browser. */
export function signIn(browser) {
  describe('signing in with a key', { skip: KEY ? false : 'HOTSPOT_TEST_KEY not set' }, () => {
    const t = { page: null, context: null, errors: [], requests: [] };

    before(async () => {
      t.context = await browser().newContext({ viewport: VIEW });
      t.page = await openPage(t.context, t.errors);
      t.page.on('request', (r) => {
        if (r.url().startsWith(BASE)) t.requests.push({ url: r.url(), auth: r.headers().authorization || '' });
      });
      await t.page.goto(`${BASE}/?${RETAIL}`);
      await waitIdle(t.page);
    });

    after(async () => {
      await t.context?.close();
    });

    it('starts as the public and says so', async () => {
      assert.match(await t.page.getByTestId('signin-who').innerText(), /Public view/);
      assert.ok(t.requests.every((r) => r.auth === ''), 'a public page sent a key');
    });

    it('refuses a wrong key in words and keeps nothing', async () => {
      await t.page.getByTestId('signin-open').click();
      await t.page.getByTestId('signin-key').fill('hs_0000000000000000_' + 'A'.repeat(43));
      await t.page.getByTestId('signin-submit').click();
      await t.page.getByTestId('signin-error').waitFor({ state: 'visible' });
      assert.match(await t.page.getByTestId('signin-error').innerText(), /refused: unknown key/);
      assert.equal(await t.page.evaluate(() => sessionStorage.getItem('hotspot-key')), null);
    });

    it('signs in, shows the role and sends the key with every API request', async () => {
      await t.page.getByTestId('signin-key').fill(KEY);
      t.requests.length = 0;
      await Promise.all([t.page.waitForEvent('load'), t.page.getByTestId('signin-submit').click()]);
      await waitIdle(t.page);
      assert.match(await t.page.getByTestId('signin-who').innerText(), /Analyst/);
      assert.equal(await t.page.evaluate(() => document.body.dataset.role), 'analyst');
      assert.ok(!t.page.url().includes(KEY.slice(-10)), 'the key leaked into the link');
      const api = t.requests.filter((r) => new URL(r.url).pathname.startsWith('/api/'));
      assert.ok(api.length >= 3, `only ${api.length} API requests after signing in`);
      for (const r of api) assert.equal(r.auth, `Bearer ${KEY}`, `${r.url} went without the key`);
      assert.equal(await t.page.getByTestId('signout').isVisible(), true);
    });

    it('signs out and forgets the key', async () => {
      t.requests.length = 0;
      await Promise.all([t.page.waitForEvent('load'), t.page.getByTestId('signout').click()]);
      await waitIdle(t.page);
      assert.match(await t.page.getByTestId('signin-who').innerText(), /Public view/);
      assert.equal(await t.page.evaluate(() => sessionStorage.getItem('hotspot-key')), null);
      assert.ok(t.requests.every((r) => r.auth === ''), 'a request after signing out still carried the key');
    });

    it('logged no console error (the Content-Security-Policy included)', () => {
      // The wrong key's 401 is the one expected failure in the console.
      assert.deepEqual(t.errors.filter((e) => !/401/.test(e)), []);
    });
  });
}
