// The hatching of hot cells without an incident (naming.isEmptyHot): the
// cells, kept in a source of their own, and the stripes, drawn on a
// canvas when the map first needs them rather than shipped, so the map
// stays one set of files.

import * as palette from './palette.js';
import { isEmptyHot } from './naming.js';

/** The pattern image's name in the map style. */
export const HATCH_IMAGE = 'hatch';

const EMPTY = Object.freeze({ type: 'FeatureCollection', features: Object.freeze([]) });

const hatchedOf = new WeakMap(); // hex answer → its hatched cells

/**
 * hatched is the hatch source's data for a hex answer: the hot cells
 * without an incident (HATCH_FILTER), the same object for the same answer.
 */
export function hatched(hex) {
  if (!hex) return EMPTY;
  if (!hatchedOf.has(hex)) {
    const features = hex.features.filter((f) => isEmptyHot(f.properties));
    hatchedOf.set(hex, features.length ? { type: 'FeatureCollection', features } : EMPTY);
  }
  return hatchedOf.get(hex);
}

/**
 * wireHatch draws the stripes when the map first asks for them. The
 * pattern layer is in the style from the start: added after the style had
 * loaded, it made the worker tile every cell a second time.
 */
export function wireHatch(map) {
  map.on('styleimagemissing', (e) => {
    if (e.id === HATCH_IMAGE && !map.hasImage(HATCH_IMAGE)) map.addImage(HATCH_IMAGE, hatchImage(), { pixelRatio: 2 });
  });
}

function hatchImage() {
  // 16 device pixels at pixel ratio 2: a stripe every 8 CSS pixels.
  const size = 16;
  const c = document.createElement('canvas');
  c.width = c.height = size;
  const ctx = c.getContext('2d');
  ctx.strokeStyle = palette.HATCH;
  ctx.lineWidth = 3;
  // Three diagonals, so that the stripes run on across the tile's edges.
  for (const off of [-size, 0, size]) {
    ctx.beginPath();
    ctx.moveTo(off, size);
    ctx.lineTo(off + size, 0);
    ctx.stroke();
  }
  return ctx.getImageData(0, 0, size, size);
}
