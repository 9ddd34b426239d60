// Unit tests of the planner's map (issue 15): the pure parts of place
// names, charts, the print sheet's scale bar, the ward focus and the
// state in the link. Run with `node --test web/test/planner.test.mjs`.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { placeName, streetOf, hotspotName } from '../src/naming.js';
import { trendRange, trendCSV, typeRows } from '../src/charts.js';
import { niceLength, metresPerPixel } from '../src/mapdecor.js';
import { resolveWard } from '../src/focus.js';
import { readState, toSearch } from '../src/state/url.js';
import { incidentModel, pointsModel, changeModel } from '../src/overlays.js';
import { incidentItem } from '../src/pointpanel.js';
import { pdfPages } from './planner.mjs';

describe('place names', () => {
  const cases = [
    ['On or near Granby Street', 'Castle', 'On or near Granby Street, Castle'],
    ['Granby Street', 'Castle', 'On or near Granby Street, Castle'],
    ['on or near  Granby Street', '', 'On or near Granby Street'],
    // The prefix is stripped once and put back once.
    ['On or near On or near X', 'Abbey', 'On or near On or near X, Abbey'],
    ['', 'Castle', ''],
    [null, 'Castle', ''],
  ];
  for (const [loc, ward, want] of cases) {
    it(`${JSON.stringify(loc)} in ${JSON.stringify(ward)}`, () => assert.equal(placeName(loc, ward), want));
  }
  it('strips the prefix for the street alone', () => assert.equal(streetOf('On or near Parking Area'), 'Parking Area'));
  it('falls back without a location', () => assert.equal(hotspotName({ count: 0 }, 'Castle', 'Hexagon in Castle'), 'Hexagon in Castle'));
});

describe('charts', () => {
  it('takes 24 months, cut to the data', () => {
    assert.deepEqual(trendRange('2024-10', '2022-01'), { from: '2022-11', to: '2024-10' });
    assert.deepEqual(trendRange('2024-06', '2023-01'), { from: '2023-01', to: '2024-06' });
  });
  it('writes the chart’s numbers as CSV', () => {
    assert.equal(trendCSV([{ month: '2024-01', count: 3 }, { month: '2024-02', count: 0 }]), 'month,count\n2024-01,3\n2024-02,0\n');
  });
  it('sums the points’ crime types and keeps the rest in one row', () => {
    const pts = { features: [
      { properties: { categories: { Burglary: 2, Shoplifting: 5 } } },
      { properties: { categories: { Shoplifting: 1, Drugs: 1, Robbery: 1 } } },
    ] };
    const { total, rows } = typeRows(pts, 2);
    assert.equal(total, 10);
    assert.deepEqual(rows, [{ type: 'Shoplifting', count: 6 }, { type: 'Burglary', count: 2 }, { type: '2 other types', count: 2 }]);
    assert.equal(rows.reduce((a, r) => a + r.count, 0), total);
    assert.deepEqual(typeRows(null), { total: 0, rows: [] });
  });
});

describe('the print sheet', () => {
  const cases = [[1234, 1000, '1 km'], [999, 500, '500 m'], [260, 200, '200 m'], [4.9, 2, '2 m'], [25000, 20000, '20 km']];
  for (const [max, metres, label] of cases) {
    it(`a scale bar within ${max} m is ${label}`, () => assert.deepEqual(niceLength(max), { metres, label }));
  }
  it('knows metres per pixel', () => {
    assert.ok(Math.abs(metresPerPixel(0, 0) - 78271.5) < 1);
    assert.ok(metresPerPixel(52.6, 12) < metresPerPixel(0, 12));
  });
  it('counts PDF pages', () => {
    assert.equal(pdfPages(Buffer.from('<< /Type /Pages /Kids [3 0 R] >> << /Type /Page /Parent 2 0 R >>')), 1);
    assert.equal(pdfPages(Buffer.from('/Type/Page x /Type /Page')), 2);
  });
});

describe('the ward focus and the link', () => {
  const wards = [{ properties: { code: 'E05010463', name: 'Castle' } }, { properties: { code: 'E05010455', name: 'Abbey' } }];
  it('takes a code or a name in any case', () => {
    assert.equal(resolveWard('E05010463', wards), 'E05010463');
    assert.equal(resolveWard('castle', wards), 'E05010463');
    assert.equal(resolveWard('Nowhere', wards), '');
    assert.equal(resolveWard('', wards), '');
  });
  it('keeps ward, h3 and compare in the link, the defaults left out', () => {
    const s = readState('?priority=asb&from=2024-01&to=2024-06&layer=change&ward=Castle&h3=89195da49a3ffff&compare=year');
    assert.equal(s.ward, 'Castle');
    assert.equal(s.h3, '89195da49a3ffff');
    assert.equal(s.compare, 'year');
    assert.match(toSearch(s), /compare=year&ward=Castle&h3=89195da49a3ffff/);
    assert.doesNotMatch(toSearch({ ...s, compare: 'previous', ward: '', h3: '' }), /compare|ward|h3/);
    assert.equal(readState('?h3=not-a-cell').h3, '');
  });
});

describe('the point and change legends', () => {
  const fc = (n) => ({ type: 'FeatureCollection', features: Array.from({ length: n }, (_, i) => ({ geometry: { type: 'Point', coordinates: [0, 0] }, properties: { i } })) });
  it('says how many incidents of how many are drawn, newest first', () => {
    assert.match(incidentModel({ collection: fc(3), total: 10 }).note, /^3 of 10 incidents drawn \(newest first\)/);
    assert.match(incidentModel({ collection: fc(4), total: 4 }).note, /^4 of 4 incidents drawn\./);
  });
  it('says what a point’s size means', () => {
    const m = pointsModel({ features: [{ properties: { count: 3 } }, { properties: { count: 9 } }] });
    assert.match(m.classes[1].label, /^N incidents at this point/);
    assert.match(m.note, /^2 map points hold 12 incidents/);
  });
  it('counts only significant change, and says when nothing can be tested', () => {
    const bins = [3, 0, 0, -2].map((b) => ({ properties: { change_bin: b } }));
    const m = changeModel({ features: bins, hotspot: { previous_complete: false } }, 'year');
    assert.equal(m.classes.find((c) => c.label.startsWith('Significant rise, 99')).n, 1);
    assert.equal(m.classes.at(-1).n, 2);
    assert.match(m.note, /same months a year earlier/);
    assert.match(m.warning, /starts before the data/);
  });
  it('spells every field of an incident at a point', () => {
    const li = incidentItem({ month: '2024-06', category: 'Burglary', outcome: '', id: 'x<1>' });
    assert.match(li, /Jun 2024 · Burglary/);
    assert.match(li, /No outcome recorded/);
    assert.match(li, /x&lt;1&gt;/);
  });
});
