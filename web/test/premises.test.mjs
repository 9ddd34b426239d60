// Unit tests of the repeat lists' words and files: register kinds in
// plain words and colours, withheld counts never zero, shortened
// pseudonyms, the premises as map points, and the CSV writer defusing
// formula cells.
//
//   node --test web/test/premises.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvText, csvName } from '../src/csv.js';
import { kindWords, kindColor, kindsOf, premisesCount, rankPremises, premisesFeatures, shortPseudonym, PSEUDONYM_NOTE, offenderLine, locationWords, locationsCSV, premisesCSV, offendersCSV } from '../src/premises-words.js';
import { PREMISES_KIND, PREMISES_OTHER } from '../src/palette.js';
import { readState, toSearch, premisesFor } from '../src/state/url.js';
import { publicLink } from '../src/signin.js';

const P = (id, kind, count, extra = {}) => ({ id, name: `Name ${id}`, kind, count, suppressed: count == null, longitude: -1.1, latitude: 52.6, ...extra });

describe('premises kinds', () => {
  it('names the register kinds in plain words, and any other kind from its spelling', () => {
    assert.equal(kindWords('knife-vape-seller'), 'Shops selling knives or vapes');
    assert.equal(kindWords('licensed'), 'Licensed premises (pubs, bars, clubs)');
    assert.equal(kindWords('late_night-bar'), 'Late night bar');
    assert.equal(kindWords(''), 'No kind given');
  });
  it('colours known kinds apart and the rest grey', () => {
    assert.equal(new Set(Object.values(PREMISES_KIND)).size, Object.keys(PREMISES_KIND).length);
    assert.equal(kindColor('retail'), PREMISES_KIND.retail);
    assert.equal(kindColor('casino'), PREMISES_OTHER);
  });
  it('lists the kinds of the register, most premises first, for the key', () => {
    const k = kindsOf([P('a', 'retail', 1), P('b', 'licensed', 2), P('c', 'retail', 3), P('d', 'hostel', 0)]);
    assert.deepEqual(k.map((x) => [x.kind, x.count]), [['retail', 2], ['hostel', 1], ['licensed', 1]]);
    assert.equal(k[0].words, 'Shops');
  });
});

describe('premises counts', () => {
  it('says a withheld count as fewer than the threshold, never zero', () => {
    assert.equal(premisesCount(P('a', 'retail', null), 5), 'fewer than 5 records (withheld)');
    assert.equal(premisesCount(P('a', 'retail', 0), 5), '0 records');
    assert.equal(premisesCount(P('a', 'retail', 1), 5), '1 record');
    assert.equal(premisesCount(P('a', 'retail', 1200)), '1,200 records');
  });
  it('ranks by count, withheld between the counted and the zeros, and keeps the kinds ticked', () => {
    const all = [P('z', 'retail', 0), P('w', 'retail', null), P('b', 'licensed', 9), P('a', 'retail', 9), P('c', 'hostel', 12)];
    assert.deepEqual(rankPremises(all).map((p) => p.id), ['c', 'a', 'b', 'w', 'z']);
    assert.deepEqual(rankPremises(all, ['retail']).map((p) => p.id), ['a', 'w', 'z']);
    assert.equal(all[0].id, 'z', 'the answer itself was reordered');
  });
  it('draws premises with a place only, a withheld count as -1 (sized as some, never as 0)', () => {
    const fc = premisesFeatures([P('a', 'retail', 3), P('b', 'retail', null), P('c', 'retail', 4, { longitude: null, latitude: null })]);
    assert.deepEqual(fc.features.map((f) => [f.properties.id, f.properties.count, f.properties.suppressed]), [['a', 3, false], ['b', -1, true]]);
    assert.deepEqual(fc.features[0].geometry.coordinates, [-1.1, 52.6]);
  });
});

describe('repeat offenders and locations in words', () => {
  it('shortens a pseudonym and says what it is', () => {
    assert.equal(shortPseudonym('aaaa000011112222'), 'aaaa0000…');
    assert.equal(shortPseudonym('abc'), 'abc');
    assert.match(PSEUDONYM_NOTE, /^pseudonym — not a name; HMAC of the partner’s reference$/);
  });
  it('gives an offender’s count, months and premises by name', () => {
    const names = new Map([['P1', 'The Crown'], ['P2', 'Corner Shop']]);
    const o = { id: 'x', count: 4, first_month: '2024-02', last_month: '2024-03', premises: ['P1', 'P2', 'P3', 'P4'] };
    assert.deepEqual(offenderLine(o, names), { count: '4 records, Feb 2024 – Mar 2024', premises: 'The Crown; Corner Shop and 2 more' });
    assert.deepEqual(offenderLine({ ...o, last_month: '2024-02', premises: [] }, names), { count: '4 records, Feb 2024', premises: 'no linked premises' });
  });
  it('names a repeat location by its premises and kind when it is one', () => {
    assert.deepEqual(locationWords({ location: 'Clock Tower', premises: 'P1', premises_name: 'The Crown', premises_kind: 'licensed' }), { title: 'The Crown', sub: 'Licensed premises (pubs, bars, clubs) · Clock Tower' });
    assert.deepEqual(locationWords({ location: 'Clock Tower', premises: null }), { title: 'Clock Tower', sub: '' });
  });
});

describe('CSV of the lists', () => {
  it('defuses text a spreadsheet would run, quotes what must be, leaves numbers', () => {
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    for (const c of ['+1', '-2', '@SUM(A1)', '\tx', '\rx']) assert.equal(csvCell(c)[0] === '"' ? csvCell(c)[1] : csvCell(c)[0], "'", c);
    assert.equal(csvCell(-1.25), '-1.25');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell(null), '');
    assert.equal(csvText(['a', 'b'], [[1, 'x'], [2, null]]), 'a,b\n1,x\n2,\n');
    assert.equal(csvName('hotspot-premises', 'council', '', '2024-01_2024-03'), 'hotspot-premises-council-2024-01_2024-03.csv');
  });
  it('writes a withheld premises count blank with the reason, never 0', () => {
    const [head, rows] = premisesCSV([P('a', 'retail', null), P('b', 'retail', 0)], 5);
    const text = csvText(head, rows).split('\n');
    assert.equal(text[0], 'rank,id,name,kind,count,withheld,longitude,latitude');
    assert.equal(text[1], '1,a,Name a,retail,,fewer than 5,-1.1,52.6');
    assert.equal(text[2], '2,b,Name b,retail,0,,-1.1,52.6');
  });
  it('writes offenders and locations a row each, in rank order', () => {
    const [oh, orows] = offendersCSV([{ id: 'aaaa000011112222', count: 4, first_month: '2024-02', last_month: '2024-03', premises: ['P1', 'P2'] }]);
    assert.equal(csvText(oh, orows), 'rank,pseudonym,count,first_month,last_month,premises\n1,aaaa000011112222,4,2024-02,2024-03,P1 P2\n');
    const f = { properties: { location: '=cmd', count: 6, premises: 'P1', premises_name: 'The Crown', premises_kind: 'licensed', ward: 'E05000001', longitude: -1.13, latitude: 52.63 } };
    const [lh, lrows] = locationsCSV([f]);
    assert.equal(csvText(lh, lrows).split('\n')[1], "1,'=cmd,6,P1,The Crown,licensed,E05000001,-1.13,52.63");
  });
});

describe('premises layer in the link', () => {
  it('round-trips the layer toggle and the kinds ticked', () => {
    const s = readState('?source=council&premises=on&kinds=licensed,knife-vape-seller');
    assert.equal(s.premises, true);
    assert.deepEqual(s.kinds, ['licensed', 'knife-vape-seller']);
    const again = readState(toSearch(s));
    assert.equal(again.premises, true);
    assert.deepEqual(again.kinds, s.kinds);
    assert.match(toSearch(s), /premises=on&kinds=licensed%2Cknife-vape-seller/);
  });
  it('leaves both out of the link when off, and drops kinds of a bad spelling', () => {
    const s = readState('?kinds=pub,<script>');
    assert.equal(s.premises, false);
    assert.deepEqual(s.kinds, ['pub']);
    assert.doesNotMatch(toSearch({ ...s, kinds: [] }), /premises|kinds/);
  });
  it('keeps them for partner keys and above, drops them for the public', () => {
    const s = readState('?premises=on&kinds=licensed');
    for (const role of ['partner', 'analyst', 'admin']) assert.deepEqual(premisesFor(s, role), { premises: true, kinds: ['licensed'] });
    for (const role of ['public', '', undefined]) assert.deepEqual(premisesFor(s, role), { premises: false, kinds: [] });
    assert.doesNotMatch(toSearch({ ...s, ...premisesFor(s, 'public') }), /premises|kinds/);
  });
  it('strips them, with the partner filters, from the public link', () => {
    assert.equal(publicLink('https://x.test/?source=council&premises=on&kinds=licensed&layer=gi'), 'https://x.test/?layer=gi');
  });
});

describe('premises on the print sheet', () => {
  it('names each premises and its kind, and says a withheld count in words', async () => {
    const { premisesTable } = await import('../src/print.js');
    const html = premisesTable({ top: [P('a', 'licensed', 12), P('b', 'hostel', null)], total: 2, below: 5, area: 'whole city', kinds: [] });
    assert.match(html, /Top premises by partner records, whole city/);
    assert.match(html, /<td>Name a<\/td><td>Licensed premises \(pubs, bars, clubs\)<\/td><td class="num">12 records<\/td>/);
    assert.match(html, /<td>Name b<\/td><td>[^<]+<\/td><td class="num">fewer than 5 records \(withheld\)<\/td>/);
    assert.equal(premisesTable(null), '');
  });
});
