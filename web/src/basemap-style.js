// The local basemap's style (pure, so the unit tests run it on the real
// @protomaps/basemaps): the Protomaps layers in a light grey flavour,
// without sprite icons, with the page's own background under them.

import { BACKGROUND } from './palette.js';

export const SOURCE = 'protomaps';
// A light grey flavour: Protomaps' "light" with its colours taken out of
// water and green spaces, so that the only hues on the map are the hot-spot
// classes (reds, oranges, blues) and a blue river never reads as a cold
// spot. The test of palette.js checks the classes against these greys.
export const FLAVOUR_OVERRIDES = {
  water: '#d4d8db',
  park_a: '#e3e6e0',
  park_b: '#e3e6e0',
  wood_a: '#e1e3de',
  wood_b: '#e1e3de',
  scrub_a: '#e3e5df',
  scrub_b: '#e3e5df',
  hospital: '#e6e1e1',
  industrial: '#e2e1e0',
  school: '#e5e3df',
  zoo: '#e3e6e0',
  beach: '#e8e6df',
  aerodrome: '#e0dfdd',
  pedestrian: '#e7e5e1',
  ocean_label: '#6f7679',
  // Road casings darker than Protomaps' own (the colour of the land), so
  // that a street still reads as an outlined line under a grey hexagon.
  minor_service_casing: '#c9c4be',
  minor_casing: '#c9c4be',
  link_casing: '#c9c4be',
  major_casing_early: '#bdb7b0',
  major_casing_late: '#bdb7b0',
  highway_casing_early: '#b5aea6',
  highway_casing_late: '#b5aea6',
  bridges_minor_casing: '#c9c4be',
  bridges_link_casing: '#c9c4be',
  bridges_major_casing: '#bdb7b0',
  bridges_highway_casing: '#b5aea6',
  // Street names a little darker than Protomaps' own, as they are read
  // over coloured hexagons (on a white halo).
  roads_label_minor: '#625b5d',
  roads_label_major: '#5a5355',
  landcover: {
    grassland: '#e3e5e0', barren: '#e7e5e0', urban_area: '#e6e6e6', farmland: '#e4e6e1',
    glacier: '#ffffff', scrub: '#e3e5df', forest: '#dde0db',
  },
};

// Layers that draw icons from a sprite, which hotspot does not serve: one-way
// arrows and road shields go; the town dots of place labels are dropped
// from their layer (the names stay).
const SPRITE_LAYERS = new Set(['roads_oneway', 'roads_shields']);

/** Layer ids of the basemap's road and place labels, for the tests. */
export const ROAD_LABELS = 'roads_labels_major';
export const PLACE_LABELS = 'places_locality';

/** styleFor is the style for basemap b served at origin (pure, for tests). */
export function styleFor(b, origin, layers, namedFlavor) {
  const flavour = { ...namedFlavor('light'), ...FLAVOUR_OVERRIDES };
  const ls = layers(SOURCE, flavour, { lang: 'en' })
    .filter((l) => !SPRITE_LAYERS.has(l.id) && l.type !== 'background')
    .map(withoutIcons);
  return {
    version: 8,
    // The glyph template is absolute, with its braces kept: MapLibre fills
    // them in (a URL object would escape them).
    glyphs: origin + b.glyphs,
    sources: {
      [SOURCE]: {
        type: 'vector',
        url: `pmtiles://${origin}${b.archive}`,
        attribution: b.attribution || '© OpenStreetMap contributors, Protomaps',
      },
    },
    // The page's own background stays when the basemap is hidden.
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }, ...ls],
    metadata: { 'hotspot:labels-on-top': true },
  };
}

function withoutIcons(l) {
  if (!l.layout || !('icon-image' in l.layout)) return l;
  const layout = Object.fromEntries(Object.entries(l.layout).filter(([k]) => !k.startsWith('icon-')));
  return { ...l, layout };
}

/**
 * splitLabels parts a basemap's layers into what goes under the hot spots
 * and the labels (symbol layers) that go over them, so that street and
 * place names stay readable over a filled hexagon.
 */
export function splitLabels(style) {
  if (!style?.metadata?.['hotspot:labels-on-top']) return { under: style?.layers ?? [], over: [] };
  return {
    under: style.layers.filter((l) => l.type !== 'symbol'),
    over: style.layers.filter((l) => l.type === 'symbol'),
  };
}

/** fontStacks are the font stacks ("A,B") of the layers' text-font values, literal or inside expressions. */
export function fontStacks(layers) {
  const out = new Set();
  const isStack = (v) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
  // Inside an expression a stack is a literal; elsewhere a string array is
  // an operator with its arguments (["get", "min_zoom"]).
  const walk = (v) => {
    if (!Array.isArray(v)) return;
    if (v[0] === 'literal' && isStack(v[1])) out.add(v[1].join(','));
    else v.forEach(walk);
  };
  for (const l of layers ?? []) {
    const f = l.layout?.['text-font'];
    if (isStack(f)) out.add(f.join(','));
    else walk(f);
  }
  return [...out];
}

