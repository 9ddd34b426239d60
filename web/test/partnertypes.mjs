// Browser checks of the crime-type list on the synthetic demo city: a key
// that may see the `council` source is offered its record types (a group
// of their own after police.uk's crime types) and can pick one; the
// public is offered police.uk's alone.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const DEMO = (process.env.HOTSPOT_DEMO_URL || '').replace(/\/$/, '');
const ANALYST = process.env.HOTSPOT_DEMO_ANALYST_KEY || '';
const PARTNER = process.env.HOTSPOT_DEMO_PARTNER_KEY || '';
const skip = DEMO && ANALYST && PARTNER ? false : 'HOTSPOT_DEMO_URL and the demo keys not set';

/** groups are the priority list's option groups: label → option texts. */
const groups = (page) => page.locator('[data-testid="priority"] optgroup').evaluateAll((gs) =>
  Object.fromEntries(gs.map((g) => [g.label, [...g.querySelectorAll('option')].map((o) => o.textContent)])));

/** councilTypes are the demo council source's categories, as meta gives them to a key. */
async function councilTypes(key) {
  const res = await fetch(`${DEMO}/api/v1/meta`, { headers: { Authorization: `Bearer ${key}` } });
  return (await res.json()).source_categories.council;
}

/**
 * councilTypesOffered checks that a key which may see the `council` source
 * is offered its record types and can pick one, on t's page opened at
 * `?layer=count&source=council` (repeats.mjs runs it on its analyst's
 * page, partnerTypesSuite on a partner's).
 */
export async function councilTypesOffered(t, key, settled) {
  const want = await councilTypes(key);
  assert.ok(want.length > 0 && want.includes('Street drinking'), String(want));
  const g = await groups(t.page);
  assert.deepEqual(g['Partner record types'], want);
  assert.ok(!g['Crime types'].includes('Street drinking'));
  await t.page.selectOption('[data-testid="priority"]', 'category:Street drinking');
  await settled(t.page);
  assert.equal(new URL(t.page.url()).searchParams.get('category'), 'Street drinking');
  const sent = t.requests.filter((u) => u.pathname === '/api/v1/hotspots/wards' && u.searchParams.get('category') === 'Street drinking');
  assert.ok(sent.length > 0 && sent.every((u) => u.searchParams.get('source') === 'council'), sent.map(String).join('\n'));
}

/** policeTypesOnly checks that the public, on t's page, is offered police.uk's crime types alone. */
export async function policeTypesOnly(t) {
  const g = await groups(t.page);
  assert.equal(g['Partner record types'], undefined);
  assert.ok(!Object.values(g).flat().includes('Street drinking'));
  const meta = await (await fetch(`${DEMO}/api/v1/meta`)).json();
  assert.equal(meta.source_categories, undefined);
  assert.ok(!meta.categories.includes('Street drinking'));
}

/**
 * partnerTypesSuite registers the partner's check on a page of its own;
 * the analyst's and the public's run on repeats.mjs's pages of the same
 * links (a page load each spared).
 */
export function partnerTypesSuite(browser, opened, settled) {
  describe('partner record types in the crime-type list', { skip }, () => {
    describe('as a partner', () => {
      const t = { errors: [], requests: [] };
      before(() => opened(browser(), PARTNER, '?layer=count&source=council', t));
      after(() => t.context?.close());

      it('offers the council source’s record types, and counts one when picked', () => councilTypesOffered(t, PARTNER, settled));

      it('logged no console error', () => assert.deepEqual(t.errors, []));
    });
  });
}
