// Sources and licences in the map's corner and on the print sheet, and the
// synthetic-data warnings: demo data must never pass for real figures.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import * as store from './state/store.js';
import { isLocal } from './state/local.js';

const $ = (id) => document.getElementById(id);

// The control on the map; replaced when the synthetic flag changes, as
// MapLibre cannot change a control's attribution in place.
let control = null;

/** attributionParts lists the credits, as links (html) or plain text. */
export function attributionParts(html) {
  const a = (href, text) => (html ? `<a href="${href}" target="_blank" rel="noopener">${text}</a>` : text);
  const parts = [
    `Crime data: ${a('https://data.police.uk/', 'police.uk')}`,
    `Boundaries: ${a('https://geoportal.statistics.gov.uk/', 'Office for National Statistics')}, contains OS data © Crown copyright and database right`,
    `Open Government Licence ${a('https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/', 'v3.0')}`,
  ];
  // On the map the basemap's source credits itself; the print sheet has
  // no such control, so it is named here.
  const bm = store.meta?.()?.basemap;
  if (!html && bm && store.state().streets !== false) parts.push(`Streets: ${bm.attribution || '© OpenStreetMap contributors, Protomaps'}`);
  // Partner records are the partnership's own, shared under its agreement:
  // a screenshot or print must not pass them off as police.uk open data.
  const s = store.state?.();
  if (s && isLocal(s)) parts.unshift(`Partner records: ${s.source === 'all' ? 'every source shown' : s.source} (the partnership's own, not open data)`);
  if (store.synthetic()) parts.unshift(html ? '<span class="synthetic-attrib">Synthetic demo data — not real</span>' : 'Synthetic demo data — not real');
  return parts;
}

let shown = '';

export function setAttribution(map) {
  if (control) map.removeControl(control);
  const parts = attributionParts(true);
  shown = parts.join('|');
  control = new maplibregl.AttributionControl({ compact: false, customAttribution: parts });
  map.addControl(control, 'bottom-right');
}

/** syncAttribution replaces the credits when they changed (a partner source chosen or left). */
export function syncAttribution(map) {
  if (attributionParts(true).join('|') !== shown) setAttribution(map);
}

/** setSynthetic shows or hides the synthetic-data banner and credit. */
export function setSynthetic(on) {
  const changed = store.setSynthetic(on);
  $('synthetic-banner').hidden = !on;
  document.body.classList.toggle('synthetic', on);
  const map = store.map();
  if (changed && map) setAttribution(map);
}
