// The meeting-pack page: map image, legend, filters, date and a top-ten
// table, laid out by print.css. It is built just before printing, whether
// from the Print button or the browser's own print command.

import { escapeHTML, int, dec1, signedPct, significance, zScore } from './format.js';
import { topHotspots, topWards, wardRanking } from './panel.js';
import { hotspotName, isEmptyHot, EMPTY_HOT_WORDS, RATE_NOTE } from './naming.js';

/**
 * mapImage copies the map canvas (kept readable by preserveDrawingBuffer)
 * and draws the ward names on it: they are HTML labels over the map, not
 * part of the WebGL canvas.
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
  return c.toDataURL('image/png');
}

/** hexTable is the sheet's top ten hot spots, named by place and ward. */
function hexTable(hex, wardOf) {
  const rows = topHotspots(hex).map((f, i) => {
    const p = f.properties;
    const ward = wardOf(f);
    const sig = significance(p.gi_bin, p.gi_z) + (isEmptyHot(p) ? ` — ${EMPTY_HOT_WORDS}` : '');
    return `<tr><td>${i + 1}</td><td>${escapeHTML(hotspotName(p, ward, ward || '–'))}</td><td>${escapeHTML(sig)}</td><td class="num">${int(p.count)}</td><td class="num">${zScore(p.gi_z)}</td><td><code>${escapeHTML(p.h3)}</code></td></tr>`;
  });
  if (!rows.length) return '<h2>Top ten hot spots</h2><p>No significant hot spots for these filters.</p>';
  return `<h2>Top ten hot spots</h2><table class="print-table"><thead><tr><th>#</th><th>Where (commonest police.uk location, ward)</th><th>Significance</th><th class="num">Incidents</th><th class="num">Gi* z</th><th>H3 cell</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** wardTable is the sheet's top ten wards by the measure on show. */
function wardTable(wards, layer) {
  const rank = wardRanking(layer);
  const rows = topWards(wards, layer).map((f, i) => {
    const p = f.properties;
    return `<tr><td>${i + 1}</td><td>${escapeHTML(p.name)}</td><td class="num">${int(p.count)}</td><td class="num">${p.rate_per_1000 == null ? '–' : dec1(p.rate_per_1000)}</td><td class="num">${int(p.prev_count)}</td><td class="num">${signedPct(p.change_pct) ?? '–'}</td></tr>`;
  });
  const title = `<h2>${escapeHTML(rank.title.replace(/^Top wards/, 'Top ten wards'))}</h2>`;
  if (!rows.length) return `${title}<p>No ward has incidents for these filters.</p>`;
  return `${title}<table class="print-table"><thead><tr><th>#</th><th>Ward</th><th class="num">Incidents</th><th class="num">Per 1,000 residents</th><th class="num">Previous period</th><th class="num">Change</th></tr></thead><tbody>${rows.join('')}</tbody></table><p class="legend-note">${escapeHTML(RATE_NOTE)}</p>`;
}

/** buildPrintSheet fills #print-sheet from the current view. */
export function buildPrintSheet({ map, labels, title, subject, filters, legendHTML, data, layer, wardOf, synthetic, attribution }) {
  const sheet = document.getElementById('print-sheet');
  const printed = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(new Date());
  const table = layer === 'gi' || layer === 'count' ? hexTable(data.hex, wardOf) : wardTable(data.wards, layer);
  sheet.innerHTML = `
    ${synthetic ? '<p class="print-synthetic">SYNTHETIC DEMO DATA — not real</p>' : ''}
    <header class="print-head">
      <h1>${escapeHTML(title)}</h1>
      <p>${escapeHTML(subject)}</p>
      <p class="print-meta">${escapeHTML(filters)} · Printed ${escapeHTML(printed)}</p>
    </header>
    <div class="print-body">
      <img class="print-map" alt="Map: ${escapeHTML(subject)}" src="${mapImage(map, labels)}">
      <div class="print-legend">${legendHTML}</div>
    </div>
    <section class="print-top">${table}</section>
    <footer class="print-foot">${escapeHTML(attribution)}</footer>`;
}
