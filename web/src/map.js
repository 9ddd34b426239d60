// The MapLibre map: made once, when the first answers are here (with them
// already in its style, so that the worker tiles them once and the first
// frame drawn with data is the right one), then wired to the URL, the
// ward labels and the selection.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import * as store from './state/store.js';
import { writeURL } from './state/url.js';
import * as layers from './layers.js';
import { bounds } from './geo.js';
import { showError } from './status.js';
import { setAttribution } from './attribution.js';
import { wireLabels } from './labels.js';
import { onMapClick, interactiveLayers } from './selection.js';
import { transformRequest } from './signin.js';
import { wireClusterCounts } from './clustercounts.js';

let mapLoaded;
/** mapReady resolves to the loaded map, or null when it cannot be drawn. */
export const mapReady = new Promise((resolve) => { mapLoaded = resolve; });

/**
 * createMap makes the map with the first answers ([hex, wards, incidents]
 * from answersFor, or null) already in its sources, at the link's view
 * (null: none) or fitted to the wards.
 */
export function createMap(basemap, first, view) {
  const [hex, wards, inc, em, change, points] = first ?? [];
  const data = { hex: hex?.data, wards: wards?.data, incidents: inc?.collection, change: change?.data, points: points?.data };
  // Drawn as the first refresh will draw it, so that its first call
  // changes nothing that would make the worker tile the cells again.
  const { layer, compare } = store.state();
  const model = layers.classify(layer, { ...data, incidents: inc, emerging: em?.data, compare });
  for (const [id, d] of Object.entries(data)) if (d) store.markApplied(id, d);
  if (data.hex) store.markApplied('hatch', layers.hatched(data.hex));
  const b = wards && bounds(wards.data.features);
  store.setFitted(Boolean(view || b));
  const camera = view ? { center: [view.lon, view.lat], zoom: view.zoom }
    : b ? { bounds: b, fitBoundsOptions: { padding: 30 } }
    : { center: [-1.13, 52.635], zoom: 10.8 };
  let map;
  try {
    map = newMap(basemap, data, camera, { layer, model });
  } catch (err) {
    // No WebGL (an old or locked-down browser): say so; the lists, legend
    // and downloads still work.
    showError(`This browser cannot draw the map (${err.message}). The lists and downloads still work.`);
    mapLoaded(null);
    return;
  }
  // For the tests and a curious analyst's console.
  window.hotspotMap = map;
  store.setMap(map);
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  setAttribution(map);
  map.on('error', (e) => showError(`The map could not draw a layer: ${e.error?.message || 'unknown error'}.`));
  layers.wireHatch(map);
  map.once('load', () => {
    layers.setLargeText(map, store.state().largeText);
    wireMap(map);
    wireClusterCounts(map);
    mapLoaded(map);
  });
}

function newMap(basemap, data, camera, first) {
  return new maplibregl.Map({
    container: 'map',
    style: layers.buildStyle(basemap, data, store.state().streets !== false, first),
    ...camera,
    maxZoom: 18,
    attributionControl: false,
    transformRequest,
    // Keeps the canvas readable for the print sheet's map image.
    canvasContextAttributes: { preserveDrawingBuffer: true },
    locale: { 'Map.Title': 'Map of crime hot spots. The top hot spots and wards lists move it from the keyboard.' },
    // MapLibre already jumps instead of flying for a reader who asks for
    // less motion; labels then appear at once rather than fading in.
    fadeDuration: matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 300,
  });
}

function wireMap(map) {
  map.on('moveend', () => {
    const c = map.getCenter();
    writeURL(store.updateState({ view: { zoom: map.getZoom(), lat: c.lat, lon: c.lng } }));
  });
  wireLabels(map);
  map.on('click', (e) => onMapClick(map, e));
  map.on('mousemove', (e) => {
    map.getCanvas().style.cursor = map.queryRenderedFeatures(e.point, { layers: interactiveLayers() }).length ? 'pointer' : '';
  });
}
