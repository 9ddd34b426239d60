// The numbers on the incident clusters when the map has no glyphs (no
// local basemap): HTML labels placed over the clusters on screen once
// the map is idle. With a basemap, a symbol layer draws them instead.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import { CLUSTERS, CLUSTER_COUNTS } from './overlays.js';

// More clusters than this on screen are too small to label usefully.
const MAX_LABELS = 300;

/** wireClusterCounts labels the clusters after each redraw, if needed. */
export function wireClusterCounts(map) {
  if (map.getLayer(CLUSTER_COUNTS)) return;
  const markers = [];
  map.on('idle', () => {
    const on = map.getLayoutProperty(CLUSTERS, 'visibility') === 'visible';
    const seen = new Map();
    if (on) {
      // A cluster on a tile edge comes back once per tile.
      for (const f of map.queryRenderedFeatures({ layers: [CLUSTERS] })) seen.set(f.properties.cluster_id, f);
    }
    const shown = [...seen.values()].slice(0, MAX_LABELS);
    shown.forEach((f, i) => {
      if (!markers[i]) {
        const el = document.createElement('div');
        el.className = 'cluster-count';
        el.setAttribute('aria-hidden', 'true');
        markers[i] = new maplibregl.Marker({ element: el });
      }
      markers[i].getElement().textContent = f.properties.point_count_abbreviated ?? String(f.properties.point_count);
      markers[i].setLngLat(f.geometry.coordinates).addTo(map);
    });
    for (const m of markers.slice(shown.length)) m.remove();
  });
}
