// Unit tests of the map's pure modules (no browser): the palette's
// colour-blind safety, the CSV and WKT spelling of `hotspot export`, the
// URL state and the class breaks.
//
//   node --test web/test/unit.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as palette from '../src/palette.js';
import { minDelta } from './cvd.mjs';
import { toCSV, wkt, goG, csvField, kindOf, fileName } from '../src/export.js';
import { readState, toSearch, normalize } from '../src/state/url.js';
import { quantileBreaks, classify } from '../src/layers.js';
import { significance, addMonths, monthsBetween, monthRange, signedPct } from '../src/format.js';

describe('palette', () => {
  const ramps = {
    'Gi* (7 classes)': [3, 2, 1, 0, -1, -2, -3].map((b) => palette.GI[b]),
    'hex counts': palette.COUNT,
    'ward counts and rates': palette.WARD,
    'ward change': palette.CHANGE,
  };
  for (const [name, colours] of Object.entries(ramps)) {
    for (const vision of ['normal', 'protanopia', 'deuteranopia', 'tritanopia']) {
      it(`${name}: every pair of classes stays apart with ${vision}`, () => {
        const { min, pair } = minDelta(colours, vision);
        // ΔE2000 ≥ 8 is clearly distinguishable side by side on a map.
        assert.ok(min >= 8, `${pair.join(' vs ')}: ΔE2000 ${min.toFixed(1)}`);
      });
    }
  }
  it('hot and cold spots differ in lightness, not only in hue', () => {
    const { min } = minDelta([palette.GI[3], palette.GI[-3]], 'deuteranopia');
    assert.ok(min > 20);
  });
});

describe('CSV as `hotspot export --format csv` writes it', () => {
  it('spells floats as Go’s %g for WKT', () => {
    assert.equal(goG(-1.1309), '-1.1309');
    assert.equal(goG(52.63613000000001), '52.63613000000001');
    assert.equal(goG(0), '0');
    assert.equal(goG(1234567), '1.234567e+06');
    assert.equal(goG(123456), '123456');
    assert.equal(goG(0.0001), '0.0001');
    assert.equal(goG(0.00001), '1e-05');
    assert.equal(goG(1.5e-7), '1.5e-07');
    assert.equal(goG(-2.5e21), '-2.5e+21');
  });
  it('writes WKT like paulmach/orb', () => {
    assert.equal(wkt({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }), 'POLYGON((0 0,1 0,1 1,0 0))');
    assert.equal(
      wkt({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[2, 2], [3, 2], [3, 3], [2, 2]], [[2.1, 2.1], [2.2, 2.1], [2.2, 2.2], [2.1, 2.1]]]] }),
      'MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2),(2.1 2.1,2.2 2.1,2.2 2.2,2.1 2.1)))',
    );
    assert.equal(wkt(null), '');
  });
  it('quotes fields as encoding/csv does', () => {
    assert.equal(csvField('Castle'), 'Castle');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField(' lead'), '" lead"');
    assert.equal(csvField('\\.'), '"\\."');
    assert.equal(csvField(''), '');
  });
  it('writes hex, ward and incident rows with the export columns', () => {
    const hex = { features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, properties: { h3: '89195da49a3ffff', count: 3, gi_z: null, gi_p: 1.0626580595364602e-7, gi_bin: 0 } }] };
    assert.equal(toCSV('hex', hex), 'h3,count,gi_z,gi_p,gi_bin,wkt\n89195da49a3ffff,3,,1.0626580595364602e-7,0,"POLYGON((0 0,1 0,1 1,0 0))"\n');
    const wards = { features: [{ type: 'Feature', geometry: null, properties: { code: 'E1', name: 'Braunstone Park & Rowley Fields', count: 0, population: null, rate_per_1000: null, prev_count: 0, change_pct: null } }] };
    assert.equal(toCSV('wards', wards), 'code,name,count,population,rate_per_1000,prev_count,change_pct,wkt\nE1,Braunstone Park & Rowley Fields,0,,,0,,\n');
    const inc = { features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [-1.152191, 52.625551] }, properties: { id: 'x', month: '2024-01', category: 'Robbery', location: 'On or near A, B', ward: 'E1', ward_name: 'Castle', outcome: '' } },
      { type: 'Feature', geometry: null, properties: { id: 'y', month: '2024-01', category: 'Robbery', location: 'No Location', ward: null, ward_name: null, outcome: 'Under investigation' } },
    ] };
    assert.equal(toCSV('incidents', inc), 'id,month,category,location,ward,ward_name,outcome,lon,lat\nx,2024-01,Robbery,"On or near A, B",E1,Castle,,-1.152191,52.625551\ny,2024-01,Robbery,No Location,,,Under investigation,,\n');
  });
  it('names files after layer and filters', () => {
    assert.equal(kindOf('wards-rate'), 'wards');
    assert.equal(fileName('hex', { priority: 'asb', from: '2024-01', to: '2024-06', res: 9, k: 1 }, 'csv'), 'hotspot-hex-asb-2024-01_2024-06-res9-k1.csv');
    assert.equal(fileName('wards', { category: 'Criminal damage and arson', from: '2024-01', to: '2024-06' }, 'geojson'), 'hotspot-wards-criminal-damage-and-arson-2024-01_2024-06.geojson');
  });
});

describe('URL state', () => {
  const meta = {
    months: ['2023-01', '2023-02', '2023-03', '2024-01', '2024-02'],
    latest_month: '2024-02', default_from: '2023-03', default_to: '2024-02',
    categories: ['Robbery', 'Anti-social behaviour'],
    res: { min: 6, max: 10, default: 9 }, k: { min: 1, max: 3, default: 1 },
  };
  const priorities = [{ id: 'asb' }, { id: 'retail-crime' }];

  it('round-trips the whole view', () => {
    const s = readState('?category=Anti-social%20behaviour&from=2023-02&to=2024-01&layer=wards-rate&res=8&k=2&map=12.50/52.63600/-1.13100&text=large');
    assert.equal(s.category, 'Anti-social behaviour');
    assert.deepEqual(s.view, { zoom: 12.5, lat: 52.636, lon: -1.131 });
    assert.equal(toSearch(s), '?category=Anti-social%20behaviour&from=2023-02&to=2024-01&layer=wards-rate&res=8&k=2&map=12.50%2F52.63600%2F-1.13100&text=large');
  });
  it('keeps a valid link as it is', () => {
    const { state, notices } = normalize(readState('?priority=asb&from=2023-02&to=2024-01'), meta, priorities);
    assert.deepEqual(notices, []);
    assert.equal(state.priority, 'asb');
    assert.equal(state.from, '2023-02');
    assert.equal(state.to, '2024-01');
    assert.equal(state.res, 9);
    assert.equal(state.layer, 'gi');
  });
  it('fills in the API’s month defaults', () => {
    assert.deepEqual(pick(normalize(readState(''), meta, priorities).state), ['2023-03', '2024-02']);
    assert.deepEqual(pick(normalize(readState('?from=2023-02'), meta, priorities).state), ['2023-02', '2024-02']);
    assert.deepEqual(pick(normalize(readState('?to=2023-03'), meta, priorities).state), ['2023-01', '2023-03']);
  });
  it('replaces what the server does not hold, saying so', () => {
    const { state, notices } = normalize(readState('?priority=nope&from=2019-01&to=2023-12&layer=x&res=12'), meta, priorities);
    assert.equal(state.priority, '');
    assert.equal(state.from, '2023-01');
    assert.equal(state.to, '2023-03');
    assert.equal(state.layer, 'gi');
    assert.equal(state.res, 9);
    assert.equal(notices.length, 5);
  });
  it('refuses a priority and a category together, as the API does', () => {
    const { state, notices } = normalize(readState('?priority=asb&category=Robbery'), meta, priorities);
    assert.equal(state.priority, 'asb');
    assert.equal(state.category, '');
    assert.equal(notices.length, 1);
  });
  const pick = (s) => [s.from, s.to];
});

describe('classes and words', () => {
  it('splits counts into about equal classes', () => {
    assert.deepEqual(quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, true), [3, 5, 7, 9]);
    assert.deepEqual(quantileBreaks([5, 5, 5], 5, true), []);
    assert.deepEqual(quantileBreaks([], 5, true), []);
  });
  it('counts cells per Gi* class for the legend', () => {
    const hex = { features: [3, 3, 0, -1].map((b) => ({ properties: { gi_bin: b, count: 1 } })) };
    const m = classify('gi', { hex });
    assert.equal(m.classes.length, 7);
    assert.equal(m.classes[0].n, 2);
    assert.equal(m.classes[3].n, 1);
    assert.equal(m.classes[4].n, 1);
  });
  it('spells significance, months and change', () => {
    assert.equal(significance(3, 4.2), 'Hot spot, 99 % confidence');
    assert.equal(significance(-2, -2.1), 'Cold spot, 95 % confidence');
    assert.equal(significance(0, 0.3), 'Not significant');
    assert.match(significance(0, null), /Not defined/);
    assert.equal(addMonths('2024-01', -6), '2023-07');
    assert.equal(addMonths('2023-12', 1), '2024-01');
    assert.equal(monthsBetween('2023-11', '2024-10'), 12);
    assert.equal(monthRange('2024-01', '2024-06'), 'Jan 2024 – Jun 2024');
    assert.equal(signedPct(-12.18), '−12.2 %');
    assert.equal(signedPct(null), null);
  });
});
