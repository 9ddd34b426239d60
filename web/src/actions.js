// The buttons around the map: downloads, printing, closing the details
// panel and dismissing notices.

import * as store from './state/store.js';
import { HEX_LAYERS, GRID_LAYERS } from './state/url.js';
import { kindOf, layerFile, fileName, download } from './export.js';
import { buildPrintSheet } from './print.js';
import { printPremises } from './premises.js';
import { int, monthRange } from './format.js';
import { filterName, subject, layerWords } from './words.js';
import { showError } from './status.js';
import { attributionParts } from './attribution.js';
import { shownLabels, wardOf } from './labels.js';
import { select } from './selection.js';
import { wardFeature } from './focus.js';

const $ = (id) => document.getElementById(id);

// When the sheet was last built: the Print button builds it, and the
// browser's beforeprint that follows need not build it again.
let printedAt = -1e9;

/** wireActions connects the buttons; called once the controls are built. */
export function wireActions() {
  $('export-geojson').addEventListener('click', () => exportLayer('geojson'));
  $('export-csv').addEventListener('click', () => exportLayer('csv'));
  $('print').addEventListener('click', () => {
    preparePrint();
    window.print();
  });
  window.addEventListener('beforeprint', () => {
    if (store.map() && performance.now() - printedAt > 2000) preparePrint();
  });
  $('details-close').addEventListener('click', () => select(null));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('details').hidden) select(null);
  });
  for (const b of document.querySelectorAll('[data-dismiss]')) b.addEventListener('click', () => { $(b.dataset.dismiss).hidden = true; });
}

/** exportLayer downloads the layer on show, whole, for the current filters. */
async function exportLayer(format) {
  const s = store.state();
  const kind = kindOf(s.layer);
  const status = $('export-status');
  status.textContent = kind === 'incidents' ? 'Collecting every matching incident…' : 'Preparing the file…';
  try {
    const file = await layerFile(kind, format, s, store.meta());
    const name = fileName(kind, s, format);
    download(name, file.text, file.type);
    status.textContent = `Saved ${name} (${int(file.features)} features).`;
  } catch (err) {
    status.textContent = '';
    showError(err);
  }
}

function preparePrint() {
  printedAt = performance.now();
  const s = store.state();
  const map = store.map();
  const focus = wardFeature(s);
  const d = store.data();
  // The sheet lists the hot spots of the ward in focus, as the panel does.
  const hex = focus && d.hex ? { ...d.hex, features: d.hex.features.filter((f) => wardOf(f) === focus.properties.name) } : d.hex;
  // The demo city is not Leicester: its sheet must not be taken for one.
  const city = store.synthetic() ? 'Synthetic demo city' : 'Leicester';
  const place = focus ? `${focus.properties.name} ward` : `${city} (whole city)`;
  buildPrintSheet({
    map,
    labels: map ? shownLabels(map) : [],
    title: `${place} · ${monthRange(s.from, s.to)} · ${filterName(s)} — ${layerWords(s.layer, true)}`,
    subject: subject(s),
    filters: `${filterName(s)}; ${monthRange(s.from, s.to)}${GRID_LAYERS.has(s.layer) ? `; H3 resolution ${s.res}, k = ${s.k}${HEX_LAYERS.has(s.layer) && s.study === 'points' ? '; only hexagons where police.uk can record a crime' : ''}` : ''}`,
    legendHTML: $('legend').innerHTML,
    data: { ...d, hex },
    layer: s.layer,
    wardOf,
    synthetic: store.synthetic(),
    attribution: attributionParts(false).join(' · '),
    focus,
    premises: printPremises(s),
  });
}
