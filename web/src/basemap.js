// The local basemap (`hotspot serve --basemap FILE.pmtiles`): streets and
// place names under the hot spots, drawn with the Protomaps style from an
// archive the server holds, with glyphs the server draws — no request
// leaves it. Without a basemap in the meta nothing of it is loaded (the
// bundled reader and style, vendor/basemap.mjs, are imported on demand).

import * as maplibregl from './vendor/maplibre-gl.mjs';
import { styleFor } from './basemap-style.js';

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
  return styleFor(b, location.origin, layers, namedFlavor);
}

