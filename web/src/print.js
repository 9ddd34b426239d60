// The meeting sheet: one A4 page, portrait or landscape (print.css lays it
// out for either), with a title naming the ward or city, the period and
// the priority; the map with a scale bar and north arrow; the legend; the
// top hot spots by street; for partner keys on partner records, the top
// premises; data notes; and attribution. It is built just
// before printing, whether from the Print button or the browser's own
// print command.

import { escapeHTML, int, dec1, signedPct, significance, zScore } from './format.js';
import { topHotspots, topWards, wardRanking } from './panel.js';
import { hotspotName, isEmptyHot, EMPTY_HOT_WORDS, RATE_NOTE } from './naming.js';
import { kindWords, premisesCount } from './premises-words.js';
import { drawNorthArrow, drawScaleBar, metresPerPixel } from './mapdecor.js';

// The sheet's hot spot list: ten fit on a portrait page with the map.
const TOP = 10;

/** The notes every sheet carries: what the data can and cannot say. */
export const PRINT_NOTES = [
  'police.uk moves each incident to the nearest of its anonymous map points (a street or place, not an address); the street named is the commonest such point in the hexagon.',
  'Months only: police.uk gives no date, day or time of day. For times, use partner records.',
  'Hot spots: Getis–Ord Gi* z-score per H3 hexagon; a hot spot is significant after false-discovery-rate (FDR) correction over the study area.',
];

/**
 * mapImage copies the map canvas (kept readable by preserveDrawingBuffer)
 * and draws on it the ward names (HTML labels over the map, not part of
 * the WebGL canvas), a scale bar and a north arrow.
 */
export function mapImage(map, labels) {
  const src = map.getCanvas();
  const c = document.createElement('canvas');
  c.width = src.width;
  c.height = src.height;
  const ctx = c.getContext('2d');
  ctx.drawImage(src, 0, 0);
  const dpr = src.width / src.clientWidth;
  ctx.font = `600 ${12 * dpr}px system-ui, "Segoe UI", Arial, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  for (const { name, lngLat } of labels) {
    const p = map.project(lngLat);
    if (p.x < 0 || p.y < 0 || p.x > src.clientWidth || p.y > src.clientHeight) continue;
    ctx.lineWidth = 3 * dpr;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.strokeText(name, p.x * dpr, p.y * dpr);
    ctx.fillStyle = '#1a1a1a';
    ctx.fillText(name, p.x * dpr, p.y * dpr);
  }
  drawScaleBar(ctx, c.width, c.height, dpr, metresPerPixel(map.getCenter().lat, map.getZoom()));
  drawNorthArrow(ctx, c.width, dpr, map.getBearing());
  return c.toDataURL('image/png');
}

/** hexTable is the sheet's top hot spots, named by street and ward. */
function hexTable(hex, wardOf, where) {
  const rows = topHotspots(hex, TOP).map((f, i) => {
    const p = f.properties;
    const ward = wardOf(f);
    const sig = significance(p.gi_bin, p.gi_z) + (isEmptyHot(p) ? ` — ${EMPTY_HOT_WORDS}` : '');
    return `<tr><td>${i + 1}</td><td>${escapeHTML(hotspotName(p, ward, `Hexagon in ${ward || 'no ward'}`))}</td><td>${escapeHTML(sig)}</td><td class="num">${int(p.count)}</td><td class="num">${zScore(p.gi_z)}</td></tr>`;
  });
  const title = `<h2>Top hot spots by street${where ? ` in ${escapeHTML(where)}` : ''}</h2>`;
  if (!rows.length) return `${title}<p>No significant hot spots for these filters.</p>`;
  return `${title}<table class="print-table"><thead><tr><th>#</th><th>Where (commonest police.uk location, ward)</th><th>Significance</th><th class="num">Incidents</th><th class="num">Gi* z</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** wardTable is the sheet's top wards by the measure on show. */
function wardTable(wards, layer) {
  const rank = wardRanking(layer);
  const rows = topWards(wards, layer, 5).map((f, i) => {
    const p = f.properties;
    return `<tr><td>${i + 1}</td><td>${escapeHTML(p.name)}</td><td class="num">${int(p.count)}</td><td class="num">${p.rate_per_1000 == null ? '–' : dec1(p.rate_per_1000)}</td><td class="num">${int(p.prev_count)}</td><td class="num">${signedPct(p.change_pct) ?? '–'}</td></tr>`;
  });
  const title = `<h2>${escapeHTML(rank.title.replace(/^Top wards/, 'Top five wards'))}</h2>`;
  if (!rows.length) return `${title}<p>No ward has incidents for these filters.</p>`;
  return `${title}<table class="print-table"><thead><tr><th>#</th><th>Ward</th><th class="num">Incidents</th><th class="num">Per 1,000 residents</th><th class="num">Previous period</th><th class="num">Change</th></tr></thead><tbody>${rows.join('')}</tbody></table><p class="legend-note">${escapeHTML(RATE_NOTE)}</p>`;
}

/**
 * premisesTable is the sheet's top premises of the register (premises:
 * printPremises' answer, null for none), counts in words so that a
 * withheld count reads as withheld, never as zero.
 */
export function premisesTable(premises) {
  if (!premises) return '';
  const rows = premises.top.map((p, i) => `<tr><td>${i + 1}</td><td>${escapeHTML(p.name)}</td><td>${escapeHTML(kindWords(p.kind))}</td><td class="num">${escapeHTML(premisesCount(p, premises.below))}</td></tr>`);
  const kinds = premises.kinds.length ? ` (${premises.kinds.join(', ')})` : '';
  const title = `<h2>Top premises by partner records${escapeHTML(kinds)}, ${escapeHTML(premises.area)}</h2>`;
  if (!rows.length) return `${title}<p>No premises of these kinds.</p>`;
  return `${title}<table class="print-table" data-testid="print-premises"><thead><tr><th>#</th><th>Premises</th><th>Kind</th><th class="num">Partner records</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * buildPrintSheet fills #print-sheet from the current view. focus is the
 * ward feature the panel is kept to (null: the whole city); data.hex is
 * already the cells to list.
 */
export function buildPrintSheet({ map, labels, title, subject, filters, legendHTML, data, layer, wardOf, synthetic, attribution, focus, premises = null }) {
  const sheet = document.getElementById('print-sheet');
  const printed = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(new Date());
  const where = focus?.properties.name ?? '';
  const wardsOnShow = layer.startsWith('wards-') && !focus;
  sheet.classList.toggle('with-premises', Boolean(premises));
  sheet.innerHTML = `
    ${synthetic ? '<p class="print-synthetic">SYNTHETIC DEMO DATA — not real</p>' : ''}
    <header class="print-head">
      <h1 data-testid="print-title">${escapeHTML(title)}</h1>
      <p class="print-meta">${escapeHTML(filters)} · Printed ${escapeHTML(printed)}</p>
    </header>
    <img class="print-map" alt="Map: ${escapeHTML(subject)}" src="${map ? mapImage(map, labels) : ''}">
    <div class="print-legend">${legendHTML}</div>
    <section class="print-top">${hexTable(data.hex, wardOf, where)}${wardsOnShow ? wardTable(data.wards, layer) : ''}${premisesTable(premises)}</section>
    <footer class="print-foot">
      <ul class="print-notes" data-testid="print-notes">${PRINT_NOTES.map((n) => `<li>${escapeHTML(n)}</li>`).join('')}</ul>
      <p>${escapeHTML(attribution)}</p>
    </footer>`;
}
