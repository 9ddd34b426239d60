// The local basemap (`hotspot serve --basemap FILE.pmtiles`): streets and
// place names under the hot spots, drawn with the Protomaps style from an
// archive the server holds, with glyphs the server draws — no request
// leaves it. Without a basemap in the meta nothing of it is loaded (the
// bundled reader and style, vendor/basemap.mjs, are imported on demand).

import * as maplibregl from './vendor/maplibre-gl.mjs';
import { styleFor, fontStacks } from './basemap-style.js';

let protocolAdded = false;

/**
 * localBasemap builds the style of the server's basemap (meta.basemap), or
 * returns null when it has none or its code cannot be loaded (the map then
 * shows as it does without one, with a notice from the caller).
 */
export async function localBasemap(meta) {
  const b = meta?.basemap;
  if (!b) return null;
  const { Protocol, layers, namedFlavor } = await import('./vendor/basemap.mjs');
  if (!protocolAdded) {
    maplibregl.addProtocol('pmtiles', new Protocol().tile);
    protocolAdded = true;
  }
  const style = styleFor(b, location.origin, layers, namedFlavor);
  prefetchGlyphs(style);
  return style;
}

/**
 * prefetchGlyphs asks for the Latin glyphs of every font the style names
 * while the map is still being made: MapLibre asks for them only once its
 * worker has read the first tile, and the names wait for them. The server
 * lets them be cached, so MapLibre's own requests find them here.
 */
export function prefetchGlyphs(style) {
  if (!style?.glyphs) return;
  for (const stack of fontStacks(style.layers)) {
    fetch(style.glyphs.replace('{fontstack}', stack).replace('{range}', '0-255')).catch(() => {});
  }
}
