// Unit tests of what keeps the map's start-up short (issue 15, speed):
// the first style already draws the first layer, and the basemap's fonts
// are known before MapLibre asks for them. Run with
// `node --test web/test/startup.test.mjs`.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps';
import { styleFor, fontStacks } from '../src/basemap-style.js';
import { classify, buildStyle, hatched } from '../src/layers.js';

describe('the start-up style', () => {
  const meta = { archive: '/basemap/basemap.pmtiles', glyphs: '/basemap/fonts/{fontstack}/{range}.pbf', attribution: '' };
  const style = styleFor(meta, 'http://127.0.0.1:8080', protomapsLayers, namedFlavor);

  it('names every font the labels use, for fetching their glyphs early', () => {
    assert.deepEqual(fontStacks(style.layers).sort(), ['Noto Sans Italic', 'Noto Sans Medium', 'Noto Sans Regular']);
    assert.deepEqual(fontStacks([{ layout: { 'text-font': ['A', 'B'] } }, { layout: {} }]), ['A,B']);
  });

  it('starts with the first layer drawn as its first refresh draws it, the hatching after', () => {
    // A change of layout, or of paint from constant to data-driven, makes
    // MapLibre's worker tile the whole source again.
    const hex = { features: [{ properties: { gi_bin: 2, count: 0 } }] };
    const model = classify('gi', { hex });
    const layers = buildStyle(style, { hex }, true, { layer: 'gi', model }).layers;
    const get = (id) => layers.find((l) => l.id === id);
    assert.equal(get('hex-fill').layout.visibility, 'visible');
    assert.deepEqual(get('hex-fill').paint['fill-color'], model.color);
    // Shown by the first refresh, after the first frame.
    assert.equal(get('hex-hatch').layout.visibility, 'none');
    assert.equal(get('hex-hatch').source, 'hatch');
    assert.ok(layers.indexOf(get('hex-hatch')) < layers.indexOf(get('ward-line')));
    assert.equal(get('ward-fill').layout.visibility, 'none');
    const wards = buildStyle(style, {}, true, { layer: 'wards-count', model: classify('wards-count', { wards: { features: [] } }) }).layers;
    assert.equal(wards.find((l) => l.id === 'hex-fill').layout.visibility, 'none');
    assert.equal(wards.find((l) => l.id === 'hex-hatch').layout.visibility, 'none');
    assert.equal(wards.find((l) => l.id === 'ward-fill').layout.visibility, 'visible');
  });

  it('keeps the hatched cells in a source of their own, the same data for the same answer', () => {
    const hot = { properties: { h3: 'a', gi_bin: 1, count: 0 } };
    const hex = { features: [hot, { properties: { h3: 'b', gi_bin: 1, count: 3 } }, { properties: { h3: 'c', gi_bin: 0, count: 0 } }] };
    assert.deepEqual(hatched(hex).features, [hot]);
    assert.equal(hatched(hex), hatched(hex));
    const style = buildStyle(null, { hex });
    assert.deepEqual(style.sources.hatch.data.features, [hot]);
    assert.equal(hatched({ features: [] }).features.length, 0);
  });
});
