// Unit tests of the partner-record filters and the day × hour grid: what
// a link keeps, what a role or a priority changes, the API parameters and
// the grid's classes, titles and CSV.
//
//   node --test web/test/sources.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readState, toSearch } from '../src/state/url.js';
import { normalizeLocal, localParams, fixedOf, hoursWords, localWords } from '../src/state/local.js';
import { fileName } from '../src/export.js';
import { trendSVG, trendCSV } from '../src/charts.js';
import { sparkline } from '../src/sparkline.js';
import { heatClass, heatLegend, cellTitle, heatCSV, cellsOf } from '../src/heatgrid.js';

const meta = (sources) => ({ sources, flags: ['homelessness', 'knife'] });

describe('the partner-record filters', () => {
  it('keeps source, flags, days and hours in the link', () => {
    const s = readState('?source=council&flag=knife,homelessness&days=fri,sat&hours=20-04&layer=count');
    assert.deepEqual([s.source, s.flags, s.days, s.hours], ['council', ['knife', 'homelessness'], 'fri,sat', '20-04']);
    assert.match(toSearch(s), /source=council&flag=knife%2Chomelessness&days=fri%2Csat&hours=20-04&layer=count/);
  });
  it('shows police.uk, in words, to a key not allowed the source', () => {
    const notices = [];
    const out = normalizeLocal({ source: 'council', flags: ['knife'], days: 'fri', hours: '20-04' }, meta(['policeuk']), null, notices);
    assert.deepEqual([out.source, out.flags, out.days, out.hours], ['', [], '', '']);
    assert.match(notices.join(' '), /not open to this key.*police\.uk has no time of day or flags/);
  });
  it('sets what a priority fixes, and leaves it to the server', () => {
    const prio = { id: 'night', source: 'council', days: 'fri,sat', hours: '20-04' };
    const out = normalizeLocal({ source: '', flags: ['knife'], days: '', hours: '' }, meta(['policeuk', 'council']), prio, []);
    assert.deepEqual([out.source, out.flags, out.days, out.hours], ['council', ['knife'], 'fri,sat', '20-04']);
    assert.deepEqual(localParams(out, fixedOf(prio)), [['flag', 'knife']]);
    assert.deepEqual(localParams(out), [['source', 'council'], ['flag', 'knife'], ['days', 'fri,sat'], ['hours', '20-04']]);
  });
  it('gives a partner key counts, not single records, of a partner source', () => {
    const notices = [];
    const out = normalizeLocal({ source: 'council', flags: [], days: '', hours: '', layer: 'incidents' }, { ...meta(['policeuk', 'council']), suppress_below: 5 }, null, notices);
    assert.equal(out.layer, 'count');
    assert.match(notices[0], /need an analyst key/);
    assert.equal(normalizeLocal({ source: 'council', flags: [], layer: 'incidents' }, meta(['policeuk', 'council']), null, []).layer, 'incidents');
  });
  it('drops unknown flags and malformed days and hours', () => {
    const notices = [];
    const out = normalizeLocal({ source: 'council', flags: ['knife', 'guns'], days: 'friday', hours: '8pm' }, meta(['policeuk', 'council']), null, notices);
    assert.deepEqual([out.flags, out.days, out.hours], [['knife'], '', '']);
    assert.equal(notices.length, 3);
  });
  it('says hours and the night preset in words', () => {
    assert.equal(hoursWords('20-04'), '20:00–03:59');
    assert.equal(localWords({ source: 'council', flags: ['knife'], days: 'fri,sat', hours: '20-04' }), 'source council · Knife involved · Fri–Sat nights 20:00–04:00');
    assert.equal(localWords({ source: '' }), '');
  });
});

describe('the day × hour grid', () => {
  it('classes counts in five steps up to the peak, zero apart', () => {
    assert.deepEqual([0, 1, 8, 9, 40].map((n) => heatClass(n, 40)), [-1, 0, 0, 1, 4]);
    assert.deepEqual(heatLegend(40).map((k) => k.label), ['1–8', '9–16', '17–24', '25–32', '33–40']);
    assert.deepEqual(heatLegend(2).map((k) => k.label), ['1', '2']);
  });
  it('marks withheld cells, never as zero, in titles and CSV', () => {
    const matrix = Array.from({ length: 7 }, () => Array(24).fill(0));
    const suppressed = Array.from({ length: 7 }, () => Array(24).fill(false));
    matrix[5][1] = null;
    suppressed[5][1] = true;
    const t = { matrix, suppressed };
    const c = cellsOf(t).find((x) => x.day === 5 && x.hour === 1);
    assert.equal(c.withheld, true);
    assert.equal(cellTitle(c, 5), 'Sat 01:00–01:59: fewer than 5 records, withheld');
    const lines = heatCSV(t).trim().split('\n');
    assert.equal(lines.length, 8);
    assert.equal(lines[6].split(',')[2], 'withheld');
    assert.equal(lines[1].split(',')[1], '0');
  });
});

describe('withheld months and partner files', () => {
  const rows = [{ month: '2024-01', count: 7 }, { month: '2024-02', count: null }, { month: '2024-03', count: 9 }];
  it('draws a withheld month grey, never as a zero bar or point', () => {
    const svg = trendSVG(rows, { from: '2024-01', to: '2024-03' });
    assert.match(svg, /class="withheld"><title>Feb 2024: fewer than 5, withheld<\/title>/);
    assert.equal(trendCSV(rows), 'month,count\n2024-01,7\n2024-02,withheld\n2024-03,9\n');
    const line = sparkline(rows, '2024-01');
    assert.equal((line.match(/<circle/g) ?? []).length, 2);
    assert.match(line, /rect class="withheld"/);
    assert.match(line, /Feb 2024: withheld/);
  });
  it('names the partner source and its filters in a download', () => {
    const s = { priority: 'asb', from: '2024-01', to: '2024-06', res: 9, k: 1, source: 'council', flags: ['knife'], days: 'fri,sat', hours: '20-04' };
    assert.equal(fileName('hex', s, 'csv'), 'hotspot-hex-asb-council-knife-fri-sat-20-04-2024-01_2024-06-res9-k1.csv');
  });
});
