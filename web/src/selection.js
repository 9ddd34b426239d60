// What the planner has chosen on the map or in the lists: a hexagon or a
// ward (outlined, with its details open; kept across filter changes) or an
// incident (details only).

import * as store from './state/store.js';
import { HEX_LAYERS, WARD_LAYERS } from './state/url.js';
import * as layers from './layers.js';
import { showHex, showWard, showIncident, showEmerging, closeDetails } from './panel.js';
import { showPoint } from './pointpanel.js';
import { showChange } from './changepanel.js';
import { setFocus } from './focus.js';
import { writeURL } from './state/url.js';
import { bounds, inGeometry } from './geo.js';
import { subject } from './words.js';
import { wardOf } from './labels.js';
import { premisesClick } from './premises-layer.js';
import { monthRange } from './format.js';

const $ = (id) => document.getElementById(id);

/** featureOf finds a selection's feature in the current answers. */
export function featureOf(sel) {
  if (!sel) return null;
  const d = store.data();
  if (sel.kind === 'hex') return d.hex?.features.find((f) => f.properties.h3 === sel.id) ?? null;
  if (sel.kind === 'emerging') return d.emerging?.features.find((f) => f.properties.h3 === sel.id) ?? null;
  if (sel.kind === 'change') return d.change?.features.find((f) => f.properties.h3 === sel.id) ?? null;
  return d.wards?.features.find((f) => f.properties.code === sel.id) ?? null;
}

/** select outlines a cell or ward and opens its details (null: neither). */
export function select(sel, { focus = false } = {}) {
  const f = featureOf(sel);
  store.setSelection(f ? sel : null);
  // The link holds the cell whose details are open (h3=), so that a
  // shared link opens the same panel.
  const h3 = f && sel.kind !== 'ward' ? sel.id : '';
  if (store.state().h3 !== h3) writeURL(store.updateState({ h3 }));
  const map = store.map();
  if (map) layers.setSelection(map, sel?.kind, f);
  if (!f) {
    closeDetails();
    return;
  }
  const s = store.state();
  const ctx = { state: s, meta: store.meta(), subject: subject(s), focus };
  if (sel.kind === 'hex') showHex(f.properties, { ...ctx, ward: wardOf(f) });
  else if (sel.kind === 'emerging') {
    // The street name comes from the hex answer for the same cell.
    const top = store.data().hex?.features.find((h) => h.properties.h3 === sel.id)?.properties.top_location;
    showEmerging({ ...f.properties, top_location: top }, { ...ctx, ward: wardOf(f) });
  }
  else if (sel.kind === 'change') showChange(f.properties, { ...ctx, ward: wardOf(f) });
  else showWard(f.properties, ctx);
}

/** After new data, the open details show the same cell or ward's new figures. */
export function reselect() {
  const layer = store.state().layer;
  // A link's cell (h3=) opens once its layer's answer is here.
  const h3 = store.state().h3;
  const sel = store.selection() ?? (h3 ? { kind: HEX_LAYERS.has(layer) ? 'hex' : layer, id: h3 } : null);
  if (!sel) return;
  // A cell's outline means nothing over a ward map, and the other way round.
  const fits = sel.kind === 'hex' ? HEX_LAYERS.has(layer) : sel.kind === 'ward' ? layer !== 'incidents' && layer !== 'points' : layer === sel.kind;
  select(fits ? sel : null);
}

/** pick is a top-list choice: zoom to it and show its details. */
export function pick(kind, f) {
  const id = kind === 'ward' ? f.properties.code : f.properties.h3;
  const b = bounds([f]);
  const map = store.map();
  // Room for the details panel on the right.
  const right = Math.min($('details').offsetWidth || 340, map?.getContainer().clientWidth / 2) + 30;
  map?.fitBounds(b, { padding: { top: 60, bottom: 60, left: 60, right }, maxZoom: 13.5, duration: 600 });
  if (kind === 'ward') setFocus(id);
  select({ kind, id }, { focus: true });
}

/** interactiveLayers are the map layers a click or hover can hit. */
export function interactiveLayers() {
  const l = store.state().layer;
  if (l === 'incidents') return [layers.CLUSTERS, layers.POINTS];
  if (WARD_LAYERS.has(l)) return [layers.WARD_FILL];
  if (l === 'emerging') return [layers.EMERGING_FILL];
  if (l === 'change') return [layers.CHANGE_FILL];
  if (l === 'points') return [layers.MAP_POINTS];
  return [layers.HEX_FILL];
}

/** onMapClick opens a cluster, an incident, a cell or the ward under the click. */
export async function onMapClick(map, e) {
  // A premises drawn over the cells answers the click for itself.
  const s = store.state();
  if (premisesClick(map, e, monthRange(s.from, s.to), store.meta().suppress_below)) return;
  const f = map.queryRenderedFeatures(e.point, { layers: interactiveLayers() })[0];
  if (f?.layer.id === layers.CLUSTERS) {
    const zoom = await map.getSource('incidents').getClusterExpansionZoom(f.properties.cluster_id);
    map.easeTo({ center: f.geometry.coordinates, zoom });
    return;
  }
  if (f?.layer.id === layers.POINTS) {
    select(null);
    showIncident(f.properties);
    return;
  }
  if (f?.layer.id === layers.MAP_POINTS) {
    select(null);
    showPoint(f);
    return;
  }
  if (f?.layer.id === layers.CHANGE_FILL) {
    select({ kind: 'change', id: f.properties.h3 });
    return;
  }
  if (f?.layer.id === layers.EMERGING_FILL) {
    select({ kind: 'emerging', id: f.properties.h3 });
    return;
  }
  if (f?.layer.id === layers.HEX_FILL) {
    // Look the cell up in the answer: rendered features drop null values.
    select({ kind: 'hex', id: f.properties.h3 });
    return;
  }
  const pt = [e.lngLat.lng, e.lngLat.lat];
  const ward = store.data().wards?.features.find((w) => inGeometry(pt, w.geometry));
  // A ward chosen on the map keeps the panel to it; its details open over
  // the ward layers, where its figures are the map's.
  if (ward) setFocus(ward.properties.code);
  if (ward && WARD_LAYERS.has(store.state().layer)) select({ kind: 'ward', id: ward.properties.code });
  else select(null);
}
