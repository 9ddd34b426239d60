// Unit tests of how the side panel ranks wards: the change list ranks
// only tested changes, significant rises first.
//
//   node --test web/test/wards.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { topWards } from '../src/panel.js';

const ward = (name, count, prev, changeP, bin) => ({
  properties: { name, code: name, count, prev_count: prev, change_pct: prev ? ((count - prev) * 100) / prev : null, change_p: changeP, change_bin: bin },
});
const names = (fs) => fs.map((f) => f.properties.name);

describe('topWards on the change layer', () => {
  it('puts significant rises before bigger rises that could be chance', () => {
    const wards = { features: [ward('Chance', 6, 2, 0.29, 0), ward('Real', 130, 100, 0.02, 2), ward('Fall', 50, 100, 1e-5, -3), ward('Surer', 300, 200, 1e-6, 3)] };
    assert.deepEqual(names(topWards(wards, 'wards-change')), ['Surer', 'Real', 'Chance', 'Fall']);
  });
  it('leaves out wards whose change could not be tested', () => {
    // change_p null: the base period reaches before the data.
    const wards = { features: [ward('Untested', 40, 4, null, 0), ward('Tested', 12, 10, 0.83, 0)] };
    assert.deepEqual(names(topWards(wards, 'wards-change')), ['Tested']);
  });
  it('ranks counts as before', () => {
    const wards = { features: [ward('A', 5, 1, null, 0), ward('B', 9, 1, null, 0), ward('C', 0, 1, null, 0)] };
    assert.deepEqual(names(topWards(wards, 'wards-count')), ['B', 'A']);
  });
});
