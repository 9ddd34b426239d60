// Unit tests of the map's pure modules (no browser): the palette's
// colour-blind safety, how CSV downloads are asked of the API and joined,
// the URL state, the class breaks, and how hot spots, repeat locations,
// outcomes and rates are named.
//
//   node --test web/test/unit.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as palette from '../src/palette.js';
import { minDelta, hexToRGB } from './cvd.mjs';
import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps';
import { styleFor, splitLabels, FLAVOUR_OVERRIDES } from '../src/basemap-style.js';
import { kindOf, fileName, layerCSV, pageOffsets, joinCSVPages, csvRows } from '../src/export.js';
import { readState, toSearch, normalize, inferenceFor } from '../src/state/url.js';
import { quantileBreaks, classify, giClasses, PATTERNS, patternWords, emergingClasses, buildStyle } from '../src/layers.js';
import { hexURL, outcomesURL, repeatsURL, concentrationURL, emergingURL } from '../src/api.js';
import { concentrationWords, lorenzSVG, sharePct } from '../src/concentration.js';
import { binStrip } from '../src/strip.js';
import { methodWords, isEmptyHot, hotspotName, rankHotspots, incidents, offenceWords, repeatLine, outcomeWords, outcomeRows, percent, STUDY_NOTE, EMPTY_HOT_WORDS, RATE_NOTE } from '../src/naming.js';
import { significance, addMonths, monthsBetween, monthRange, signedPct, changeWords } from '../src/format.js';

describe('palette', () => {
  const ramps = {
    'Gi* (7 classes)': [3, 2, 1, 0, -1, -2, -3].map((b) => palette.GI[b]),
    'hex counts': palette.COUNT,
    'ward counts and rates': palette.WARD,
    'ward change': palette.CHANGE,
    'significant change (7 classes)': [3, 2, 1, 0, -1, -2, -3].map((b) => palette.CHANGE_BIN[b]),
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
  const emerging = Object.keys(palette.EMERGING);
  for (const side of ['hot', 'cold']) {
    const colours = emerging.filter((p) => p.endsWith(`_${side}`) || p === 'no_pattern').map((p) => palette.EMERGING[p]);
    for (const vision of ['normal', 'protanopia', 'deuteranopia', 'tritanopia']) {
      it(`emerging ${side} patterns and no pattern stay apart with ${vision}`, () => {
        assert.equal(colours.length, 9);
        const { min, pair } = minDelta(colours, vision);
        assert.ok(min >= 8, `${pair.join(' vs ')}: ΔE2000 ${min.toFixed(1)}`);
      });
    }
  }
  it('hot and cold spots differ in lightness, not only in hue', () => {
    const { min } = minDelta([palette.GI[3], palette.GI[-3]], 'deuteranopia');
    assert.ok(min > 20);
  });
});

describe('the local basemap', () => {
  const meta = { archive: '/basemap/basemap.pmtiles', glyphs: '/basemap/fonts/{fontstack}/{range}.pbf', attribution: '' };
  const style = styleFor(meta, 'http://127.0.0.1:8080', protomapsLayers, namedFlavor);

  it('reads the archive and glyphs from the server, and needs no sprite', () => {
    assert.equal(style.glyphs, 'http://127.0.0.1:8080/basemap/fonts/{fontstack}/{range}.pbf');
    assert.equal(style.sources.protomaps.url, 'pmtiles://http://127.0.0.1:8080/basemap/basemap.pmtiles');
    assert.equal(style.sprite, undefined);
    for (const l of style.layers) {
      const json = JSON.stringify(l);
      assert.ok(!/icon-image|-pattern/.test(json), `${l.id} needs a sprite`);
      if (l.type !== 'background') assert.equal(l.source, 'protomaps', l.id);
    }
    const ids = style.layers.map((l) => l.id);
    for (const id of ['earth', 'water', 'roads_major', 'roads_minor', 'roads_labels_major', 'roads_labels_minor', 'places_locality']) assert.ok(ids.includes(id), id);
  });

  it('draws roads under the hot spots and names over them; other styles stay whole', () => {
    const ids = buildStyle(style).layers.map((l) => l.id);
    assert.ok(ids.indexOf('roads_major') < ids.indexOf('hex-fill'));
    assert.ok(ids.indexOf('places_locality') > ids.indexOf('ward-line'));
    assert.ok(ids.indexOf('places_locality') > ids.indexOf('incident-clusters'), 'clusters sit under the place labels');
    const online = { version: 8, sources: {}, layers: [{ id: 'a', type: 'symbol' }] };
    assert.deepEqual(splitLabels(online), { under: online.layers, over: [] });
    // streets=off: the basemap starts hidden, the page's background stays.
    const off = buildStyle(style, {}, false).layers;
    assert.equal(off.find((l) => l.id === 'roads_major').layout.visibility, 'none');
    assert.equal(off.find((l) => l.id === 'background').layout?.visibility, undefined);
  });

  it('keeps every pair of Gi* classes 8 ΔE2000 apart over each basemap colour', () => {
    const f = { ...namedFlavor('light'), ...FLAVOUR_OVERRIDES };
    // The map's own opacities: not-significant cells and hot or cold
    // spots each at theirs.
    const op = classify('gi', { hex: { features: [] } }).opacity;
    assert.deepEqual(op.slice(0, 2), ['case', ['==', ['get', 'gi_bin'], 0]]);
    const alpha = (bin) => (bin === 0 ? op[2] : op[3]);
    const hex = (rgb) => '#' + rgb.map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('');
    const over = (bin, g) => hex(hexToRGB(palette.GI[bin]).map((v, i) => alpha(bin) * v + (1 - alpha(bin)) * hexToRGB(g)[i]));
    for (const [name, ground] of Object.entries({ earth: f.earth, water: f.water, park: f.park_a, buildings: f.buildings, road: f.major, industrial: f.industrial })) {
      for (const vision of ['normal', 'protanopia', 'deuteranopia', 'tritanopia']) {
        const { min, pair } = minDelta([3, 2, 1, 0, -1, -2, -3].map((b) => over(b, ground)), vision);
        assert.ok(min >= 8, `over ${name} with ${vision}: ${pair.join(' vs ')} ΔE2000 ${min.toFixed(1)}`);
      }
    }
  });

  it('keeps the Streets switch in the link only when off', () => {
    assert.equal(readState('?layer=gi').streets, true);
    assert.equal(readState('?streets=off').streets, false);
    assert.doesNotMatch(toSearch({ ...readState(''), streets: true }), /streets/);
    assert.match(toSearch({ ...readState(''), streets: false }), /streets=off/);
  });
});

describe('CSV downloads from the API', () => {
  const state = { priority: 'retail-crime', category: '', from: '2024-03', to: '2024-09', res: 9, k: 1 };
  const meta = { incident_limit: { min: 1, max: 2, default: 1 } };
  const HEAD = 'id,month,category,location,ward,ward_name,outcome,lon,lat\n';
  const row = (i) => `i${i},2024-03,Shoplifting,"On or near A, B",E1,Castle,,-1.1,52.6\n`;

  /** withFetch runs f with fetch answering from answer(url), and returns the URLs asked. */
  async function withFetch(answer, f) {
    const asked = [];
    const real = globalThis.fetch;
    globalThis.fetch = async (u, init) => {
      asked.push({ url: u, accept: init?.headers?.Accept });
      const [status, body, type] = answer(u);
      return new Response(body, { status, headers: { 'Content-Type': type } });
    };
    try {
      return { result: await f(), asked };
    } finally {
      globalThis.fetch = real;
    }
  }

  it('asks for hexagons and wards with the GeoJSON download’s filters and format=csv', async () => {
    const { result, asked } = await withFetch(() => [200, 'h3,count\n', 'text/csv'], () => layerCSV('hex', state, meta));
    assert.equal(result, 'h3,count\n');
    assert.equal(asked[0].url, '/api/v1/hotspots/hex?priority=retail-crime&from=2024-03&to=2024-09&res=9&k=1&inference=permutation&format=csv');
    assert.match(asked[0].accept, /^text\/csv/);
    const wards = await withFetch(() => [200, 'code\n', 'text/csv'], () => layerCSV('wards', { ...state, priority: '', category: 'Bicycle theft' }, meta));
    assert.equal(wards.asked[0].url, '/api/v1/hotspots/wards?category=Bicycle%20theft&from=2024-03&to=2024-09&format=csv');
  });

  it('pages through incidents and keeps one header row', async () => {
    const pages = { 0: HEAD + row(1) + row(2), 2: HEAD + row(3) + row(4), 4: HEAD + row(5) };
    const answer = (u) => {
      const q = new URL(u, 'http://x').searchParams;
      if (q.get('format') !== 'csv') return [200, JSON.stringify({ numberMatched: 5, features: [] }), 'application/geo+json'];
      return [200, pages[q.get('offset')], 'text/csv'];
    };
    const { result, asked } = await withFetch(answer, () => layerCSV('incidents', state, meta));
    assert.equal(result, HEAD + row(1) + row(2) + row(3) + row(4) + row(5));
    assert.deepEqual(asked.map((a) => a.url), [
      '/api/v1/incidents?priority=retail-crime&from=2024-03&to=2024-09&scope=area&order=newest&limit=1&offset=0',
      '/api/v1/incidents?priority=retail-crime&from=2024-03&to=2024-09&scope=area&order=newest&limit=2&offset=0&format=csv',
      '/api/v1/incidents?priority=retail-crime&from=2024-03&to=2024-09&scope=area&order=newest&limit=2&offset=2&format=csv',
      '/api/v1/incidents?priority=retail-crime&from=2024-03&to=2024-09&scope=area&order=newest&limit=2&offset=4&format=csv',
    ]);
  });

  it('gives no file when the incidents change between pages', async () => {
    const answer = (u) => (u.includes('format=csv') ? [200, HEAD + row(1), 'text/csv'] : [200, '{"numberMatched":3}', 'application/geo+json']);
    await assert.rejects(withFetch(answer, () => layerCSV('incidents', state, meta)), /incidents changed/);
  });

  it('reports the API’s refusal in its own words', async () => {
    const answer = () => [400, JSON.stringify({ error: 'format "x" is not offered', param: 'format' }), 'application/json'];
    await assert.rejects(withFetch(answer, () => layerCSV('hex', state, meta)), (err) => err.name === 'ApiError' && err.status === 400 && err.param === 'format');
  });

  it('joins pages and counts records', () => {
    assert.deepEqual(pageOffsets(0, 10000), [0]);
    assert.deepEqual(pageOffsets(10000, 10000), [0]);
    assert.deepEqual(pageOffsets(25000, 10000), [0, 10000, 20000]);
    assert.equal(joinCSVPages(['a,b\n1,2\n', 'a,b\n3,4\n', 'a,b\n']), 'a,b\n1,2\n3,4\n');
    assert.throws(() => joinCSVPages(['a,b\n1,2\n', 'a,c\n3,4\n']), /header/);
    assert.equal(csvRows('a,b\n'), 0);
    assert.equal(csvRows(''), 0);
    assert.equal(csvRows('a,b\n"x\ny",1\n"say ""hi""",2\n'), 2);
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
  it('says whether a ward changed significantly', () => {
    assert.match(changeWords({ count: 921, prev_count: 493, change_p: 2.5e-30, change_bin: 3 }), /^A significant rise, 99 % confidence.*\(p < 0\.0001\)$/);
    assert.match(changeWords({ count: 2, prev_count: 20, change_p: 0.0001, change_bin: -2 }), /^A significant fall, 95 %/);
    assert.equal(changeWords({ count: 15, prev_count: 8, change_p: 0.21003961563110352, change_bin: 0 }), 'Not significant: a change of this size could be chance (p = 0.2100)');
    assert.match(changeWords({ count: 5, prev_count: 0, change_p: null, change_bin: 0 }), /^Not tested/);
    assert.match(changeWords({ count: 0, prev_count: 0, change_p: null, change_bin: 0 }), /nothing to compare/);
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

describe('honest hot spots: cells and legend', () => {
  const cell = (h3, gi_bin, count, extra = {}) => ({ properties: { h3, gi_bin, count, gi_z: gi_bin, ...extra } });

  it('hatches hot cells without an incident, and only those', () => {
    assert.equal(isEmptyHot({ gi_bin: 1, count: 0 }), true);
    assert.equal(isEmptyHot({ gi_bin: 3, count: 0 }), true);
    assert.equal(isEmptyHot({ gi_bin: 3, count: 4 }), false);
    assert.equal(isEmptyHot({ gi_bin: 0, count: 0 }), false);
    assert.equal(isEmptyHot({ gi_bin: -2, count: 0 }), false);
  });

  it('names a hot spot by its commonest location and ward, or as before', () => {
    assert.equal(hotspotName({ top_location: 'On or near Granby Street' }, 'Castle', 'Castle'), 'On or near Granby Street, Castle');
    assert.equal(hotspotName({ top_location: 'On or near Granby Street' }, '', 'outside the wards'), 'On or near Granby Street');
    assert.equal(hotspotName({ top_location: null }, 'Castle', 'Hexagon in Castle'), 'Hexagon in Castle');
    assert.equal(hotspotName({}, '', 'outside the wards'), 'outside the wards');
  });

  it('lists hot cells with incidents before empty ones', () => {
    const feats = [cell('a', 3, 0), cell('b', 1, 5), cell('c', 2, 1), cell('d', 0, 50), cell('e', -1, 0)];
    assert.deepEqual(rankHotspots(feats).map((f) => f.properties.h3), ['c', 'b', 'a']);
    assert.deepEqual(rankHotspots(feats, 2).map((f) => f.properties.h3), ['c', 'b']);
    assert.match(EMPTY_HOT_WORDS, /^Hot because its neighbours are busy — no incident recorded in this hexagon$/);
  });

  it('shows cold-spot classes only when some cell is cold', () => {
    const hot = [cell('a', 3, 2), cell('b', 0, 1), cell('c', 1, 0)];
    const labels = giClasses(hot).map((c) => c.label);
    assert.ok(!labels.some((l) => /Cold/.test(l)), labels.join('; '));
    assert.ok(labels.some((l) => /^Hatched/.test(l)), 'the hatched cells have a legend entry');
    assert.equal(giClasses(hot).find((c) => c.shape === 'hatch').n, 1);
    const m = classify('gi', { hex: { features: hot } });
    assert.match(m.note, /No cold spots/);
    assert.equal(classify('gi', { hex: { features: [...hot, cell('d', -3, 0)] } }).classes.filter((c) => /Cold/.test(c.label)).length, 3);
    // No answer yet: nothing cold to show, nothing hatched.
    assert.deepEqual(giClasses([]).map((c) => c.label), ['Hot spot, 99 % confidence', 'Hot spot, 95 % confidence', 'Hot spot, 90 % confidence', 'Not significant']);
  });

});

describe('honest hot spots: words and links', () => {
  it('says what a repeat location’s count is, in the map’s words', () => {
    const priorities = [
      { id: 'retail-crime', name: 'Business (retail) crime', categories: ['Shoplifting'] },
      { id: 'city-centre-violence', name: 'City centre violent crime', categories: ['Violence and sexual offences', 'Robbery'] },
    ];
    const s = { priority: 'retail-crime', category: '', from: '2024-01', to: '2024-10' };
    assert.equal(repeatLine({ location: 'On or near Supermarket', count: 184 }, s, priorities), 'On or near Supermarket — 184 shoplifting offences, Jan 2024 – Oct 2024');
    assert.equal(offenceWords({ category: 'Anti-social behaviour' }, priorities, 1200), '1,200 anti-social behaviour incidents');
    assert.equal(offenceWords({ category: 'Violence and sexual offences' }, priorities, 2), '2 violence and sexual offences');
    assert.equal(offenceWords({ category: 'Robbery' }, priorities, 1), '1 robbery offence');
    assert.equal(offenceWords({ priority: 'city-centre-violence' }, priorities, 7), '7 city centre violent crime incidents');
    assert.equal(offenceWords({}, priorities, 3), '3 incidents (all crime types)');
    assert.equal(incidents(1), '1 incident');
    assert.equal(incidents(2418), '2,418 incidents');
    assert.equal(outcomeWords(null), 'No outcome recorded');
    assert.match(outcomeWords('Local resolution'), /Local resolution$/);
  });

  it('shows the top five outcomes with shares that account for every incident', () => {
    const outs = [['A', 50], ['B', 20], ['C', 10], ['D', 10], ['E', 5], ['F', 4], ['G', 1]].map(([outcome, count]) => ({ outcome, count }));
    const { total, rows, rest } = outcomeRows(outs);
    assert.equal(total, 100);
    assert.deepEqual(rows.map((r) => [r.outcome, r.pct]), [['A', 50], ['B', 20], ['C', 10], ['D', 10], ['E', 5]]);
    assert.deepEqual(rest, { outcomes: 2, count: 5, pct: 5 });
    assert.equal(outcomeRows([{ outcome: 'No outcome recorded', count: 3 }]).rest, null);
    assert.deepEqual(outcomeRows([]), { total: 0, rows: [], rest: null });
    assert.equal(percent(0.4), '< 1 %');
    assert.equal(percent(33.33), '33 %');
  });

  it('words the study toggle and rates as the issue asks', () => {
    assert.equal(STUDY_NOTE, 'Only hexagons holding a police.uk map point: empty streets and parks can’t lower the average or make a neighbour hot.');
    assert.match(RATE_NOTE, /per 1,000 residents/);
    assert.match(RATE_NOTE, /city centre has few residents/);
  });

  it('keeps the study area in the link and asks the API for it', () => {
    const s = readState('?priority=asb&from=2024-01&to=2024-06&res=9&k=1&study=points');
    assert.equal(s.study, 'points');
    assert.equal(toSearch(s), '?priority=asb&from=2024-01&to=2024-06&layer=gi&res=9&k=1&study=points');
    assert.equal(hexURL(s), '/api/v1/hotspots/hex?priority=asb&from=2024-01&to=2024-06&res=9&k=1&study=points&inference=permutation');
    // The default is left out of links and requests alike.
    const area = readState('?priority=asb&from=2024-01&to=2024-06&res=9&k=1');
    assert.equal(area.study, 'area');
    assert.equal(toSearch(area), '?priority=asb&from=2024-01&to=2024-06&layer=gi&res=9&k=1');
    assert.equal(hexURL(area), '/api/v1/hotspots/hex?priority=asb&from=2024-01&to=2024-06&res=9&k=1&inference=permutation');
    assert.equal(fileName('hex', { ...s, priority: 'asb' }, 'csv'), 'hotspot-hex-asb-2024-01_2024-06-res9-k1-points.csv');
    assert.equal(repeatsURL(s), '/api/v1/repeats/locations?priority=asb&from=2024-01&to=2024-06&min=2&format=geojson');
    assert.equal(outcomesURL(s, [['h3', '89195cb6477ffff']]), '/api/v1/outcomes?priority=asb&from=2024-01&to=2024-06&h3=89195cb6477ffff');
  });

  it('replaces an unknown study area, saying so', () => {
    const meta = { months: ['2024-01'], latest_month: '2024-01', default_from: '2024-01', default_to: '2024-01', categories: [], res: { min: 6, max: 10, default: 9 }, k: { min: 1, max: 3, default: 1 } };
    const { state, notices } = normalize(readState('?study=parks'), meta, []);
    assert.equal(state.study, 'area');
    assert.match(notices.join(' '), /Study area “parks” is unknown/);
  });
});

describe('significance test', () => {
  it('chooses by hexagon size unless told, and keeps a choice in the link', () => {
    for (const [search, res, want] of [['', 8, 'normal'], ['', 9, 'permutation'], ['', 10, 'permutation'],
      ['?inference=normal', 10, 'normal'], ['?inference=permutation', 6, 'permutation']]) {
      const s = { ...readState(search), res };
      assert.equal(inferenceFor(s), want, `${search} at res ${res}`);
    }
    assert.equal(toSearch({ ...readState('?inference=normal'), layer: 'gi' }).includes('inference=normal'), true);
    assert.equal(toSearch({ ...readState(''), layer: 'gi' }).includes('inference'), false);
    assert.equal(new URL(hexURL({ ...readState(''), res: 10, k: 1 }), 'http://x').searchParams.get('inference'), 'permutation');
  });
  it('says how significance was found', () => {
    assert.equal(methodWords({ k: 1, k_metres: 350, inference: 'normal' }),
      'Gi* over k = 1 ring (≈ 350 m), normal approximation, false-discovery-rate corrected.');
    assert.equal(methodWords({ k: 3, k_metres: 390, k_auto: true, inference: 'permutation', permutations: 9999 }),
      'Gi* over k = 3 rings (≈ 390 m), chosen where clustering peaks, permutation test (9,999 draws), false-discovery-rate corrected.');
    assert.equal(methodWords(undefined), '');
  });
});

describe('concentration', () => {
  // The shared data's retail crime at res 9, 12 months to October 2024.
  const retail = { incidents: 3252, cells: 778, cells_for_50pct: 11, cells_for_80pct: 32, share_for_50pct: 11 / 778, share_for_80pct: 32 / 778, gini: 0.9485687273325175 };
  it('says how much happens in how little of the area', () => {
    assert.equal(concentrationWords(retail),
      'Half of the 3,252 incidents happened in 1.4\u00a0% of the area: 11 hexagons of its 778. 80 % happened in 4.1\u00a0% (32 hexagons). Gini 0.95 (0: spread evenly; near 1: all in one place).');
    assert.match(concentrationWords({ ...retail, cells_for_50pct: 1, cells_for_80pct: 1 }), /: 1 hexagon of its 778\. .*\(1 hexagon\)/);
    assert.equal(concentrationWords({ incidents: 0, cells: 778, cells_for_50pct: null }), 'No incidents to measure for these filters.');
    assert.equal(sharePct(0.0004), '< 0.1\u00a0%');
    assert.equal(sharePct(1), '100.0\u00a0%');
  });
  it('draws the Lorenz curve over the line of equality', () => {
    const svg = lorenzSVG([[0, 0], [0.5, 0.9], [1, 1]]);
    assert.match(svg, /points="0\.00,100\.00 50\.00,10\.00 100\.00,0\.00"/);
    assert.match(svg, /lorenz-equal/);
    assert.equal(lorenzSVG(null), '');
  });
  it('asks at the map\'s resolution with the filters', () => {
    assert.equal(concentrationURL({ priority: 'retail-crime', from: '2024-01', to: '2024-10', res: 9, k: 1 }),
      '/api/v1/concentration?priority=retail-crime&from=2024-01&to=2024-10&res=9');
  });
});

describe('emerging hot spots', () => {
  // DESIGN.md's seventeen, in its order.
  const names = ['new_hot', 'consecutive_hot', 'intensifying_hot', 'persistent_hot', 'diminishing_hot', 'sporadic_hot', 'oscillating_hot', 'historical_hot',
    'new_cold', 'consecutive_cold', 'intensifying_cold', 'persistent_cold', 'diminishing_cold', 'sporadic_cold', 'oscillating_cold', 'historical_cold', 'no_pattern'];
  it('names every pattern, in the contract’s order, with a colour each', () => {
    assert.deepEqual(PATTERNS.map(([id]) => id), names);
    assert.deepEqual(Object.keys(palette.EMERGING).sort(), [...names].sort());
    assert.equal(patternWords('persistent_hot').name, 'Persistent hot spot');
    assert.match(patternWords('historical_hot').meaning, /not the latest/);
  });
  const f = (pattern) => ({ properties: { pattern } });
  it('lists only the patterns present, in order, with counts', () => {
    const classes = emergingClasses([f('no_pattern'), f('sporadic_hot'), f('new_hot'), f('sporadic_hot'), f('no_pattern'), f('no_pattern')]);
    assert.deepEqual(classes.map((c) => [c.label.split(':')[0], c.n]), [['New hot spot', 1], ['Sporadic hot spot', 2], ['No pattern', 3]]);
    assert.equal(classes[0].color, palette.EMERGING.new_hot);
  });
  it('says in the legend when the months are too few', () => {
    assert.match(classify('emerging', { emerging: null }).note, /at least 10 months/);
    const m = classify('emerging', { emerging: { features: [f('persistent_hot')], hotspot: { months: 24 } } });
    assert.equal(m.title, 'Emerging hot spots');
    assert.match(m.note, /each of the 24 months/);
  });
  it('asks the API with the grid and the filters', () => {
    assert.equal(emergingURL({ priority: 'asb', from: '2023-01', to: '2024-10', res: 9, k: 1 }), '/api/v1/hotspots/emerging?priority=asb&from=2023-01&to=2024-10&res=9&k=1');
    assert.equal(kindOf('emerging'), 'emerging');
    assert.equal(fileName('emerging', { priority: 'asb', from: '2023-01', to: '2024-10', res: 9, k: 1 }, 'csv'), 'hotspot-emerging-asb-2023-01_2024-10-res9-k1.csv');
  });
  it('reads the layer from a link', () => {
    const meta = { months: ['2023-01', '2024-10'], categories: [], default_from: '2023-01', default_to: '2024-10', latest_month: '2024-10', res: { min: 6, max: 10, default: 9 }, k: { min: 1, max: 3, default: 1 } };
    const { state, notices } = normalize(readState('?layer=emerging&from=2023-01&to=2024-10'), meta, []);
    assert.equal(state.layer, 'emerging');
    assert.deepEqual(notices, []);
  });
  it('draws the monthly bins as a strip, marking hot and cold months', () => {
    const svg = binStrip([0, 1, 2, 3, -2, 0, 0, 0, 0, 0, 0, 2], '2024-01');
    assert.equal((svg.match(/<rect [^>]*fill=/g) ?? []).length, 12);
    assert.equal((svg.match(/class="hot"/g) ?? []).length, 3);
    assert.equal((svg.match(/class="cold"/g) ?? []).length, 1);
    assert.match(svg, /aria-label="Gi\* bin per month\. Jan 2024: not significant; Feb 2024: hot, 90 %; Mar 2024: hot, 95 %/);
    assert.match(svg, />Dec 2024</);
    assert.match(binStrip([], '2024-01'), /No monthly bins/);
  });
});

describe('forecast words', async () => {
  const { forecastSummary, giComparison, backtestCheck, share, FORECAST_NOTE } = await import('../src/forecast-words.js');
  const { forecastURL, backtestURL } = await import('../src/api.js');
  const h = {
    method: 'recency', method_auto: true, coverage: 5, cells: 778, from: '2023-11', to: '2024-10', months: 12,
    pai: 16.39, pei: 0.9024, rri: 0.985, backtest_from: '2024-05', backtest_to: '2024-10',
    candidates: [{ method: 'counts', pei: 0.88, pai: 16.0 }, { method: 'recency', pei: 0.9024, pai: 16.39 }, { method: 'gi', pei: 0.4988, pai: 9.05 }],
  };
  it('says which cells, why, and how the choice has done', () => {
    const s = forecastSummary(h, 39);
    assert.match(s, /^The 39 hexagons \(5 % of 778\) ranked highest by incident count with recent months weighing more over Nov 2023 – Oct 2024 \(the ranking that has predicted best here\)\./);
    assert.match(s, /Over May 2024 – Oct 2024, the same choice made each month caught 90 % of what the best 5 % of hexagons could have caught the month after \(16\.4 times their share of the area\)\./);
  });
  it('says when there is nothing to check against', () => {
    assert.match(forecastSummary({ ...h, method_auto: false, backtest_from: null, pei: null }, 3), /too few months before them/);
  });
  it('compares with Gi* hot spots as targets', () => {
    assert.equal(giComparison(h), 'Targeting the Gi* hot spots instead would have caught 50 % (9.1 times their share).');
    assert.equal(giComparison({ ...h, method: 'gi' }), '');
    assert.equal(giComparison({ ...h, candidates: [] }), '');
  });
  it('checks the months on show against the latest', () => {
    const b = {
      rows: [
        { month: '2024-09', method: 'counts', coverage: 5, selected: 39, incidents: 300, hits: 240 },
        { month: '2024-09', method: 'gi', coverage: 5, selected: 39, incidents: 300, hits: 150 },
      ],
      hotspot: { from: '2024-09', to: '2024-09', train: 6 },
    };
    assert.equal(backtestCheck(b), 'Check on Sep 2024: the 39 busiest hexagons of Mar 2024 – Aug 2024 caught 240 of its 300 incidents (80 %); the 39 strongest Gi* hot spots caught 150 (50 %).');
    assert.equal(backtestCheck({ rows: [], hotspot: {} }), '');
  });
  it('rounds shares and keeps the note on Gi*', () => {
    assert.equal(share(0.125), '13 %');
    assert.equal(share(null), '–');
    assert.match(FORECAST_NOTE, /not a Gi\* hot spot/);
  });
  it('asks the API for the subject alone, and the latest month against the months before', () => {
    const s = { priority: 'asb', from: '2024-03', to: '2024-09', res: 9, k: 1 };
    assert.equal(forecastURL(s), '/api/v1/hotspots/forecast?priority=asb&res=9&coverage=5');
    assert.equal(backtestURL(s, 6), '/api/v1/backtest?priority=asb&from=2024-09&to=2024-09&train=6&res=9&k=1&method=counts%2Cgi&coverage=5');
  });
});
