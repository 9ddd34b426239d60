// Unit tests of the trends' words and lists: the ward change list ranks
// only tested changes, significant rises first; the forecast says when
// fewer cells scored than its coverage, and "1 hexagon", not "1 hexagons".
//
//   node --test web/test/trends.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { topWards } from '../src/panel.js';
import { forecastSummary } from '../src/forecast-words.js';

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

describe('forecastSummary', () => {
  const h = { method: 'counts', method_auto: false, coverage: 5, cells: 273, from: '2024-01', to: '2024-10', backtest_from: null, pei: null };
  it('says when fewer cells scored above 0 than the coverage takes', () => {
    assert.match(forecastSummary({ ...h, scored_cells: 3 }, 3), /^The 3 hexagons \(5 % of 273; only 3 scored above 0\) ranked/);
    assert.match(forecastSummary({ ...h, scored_cells: 200 }, 14), /^The 14 hexagons \(5 % of 273\) ranked/);
  });
  it('counts one hexagon in the singular', () => {
    assert.match(forecastSummary({ ...h, scored_cells: 1 }, 1), /^The 1 hexagon \(5 % of 273; only 1 scored above 0\) ranked/);
  });
});
