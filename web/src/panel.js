// The details panel (what a clicked cell, ward or incident holds) and the
// side lists of top hot spots and wards, each item a button that zooms the
// map to it.

import * as api from './api.js';
import { int, dec1, significance, pValue, zScore, signedPct, month, monthRange, previousPeriod, escapeHTML } from './format.js';
import { sparkline } from './sparkline.js';

const $ = (id) => document.getElementById(id);

/** Ranked hot spots: significance first, then the strength of the signal. */
export function topHotspots(hex, n = 10) {
  return (hex?.features ?? [])
    .filter((f) => f.properties.gi_bin > 0)
    .sort((a, b) => b.properties.gi_bin - a.properties.gi_bin || (b.properties.gi_z ?? 0) - (a.properties.gi_z ?? 0) || b.properties.count - a.properties.count)
    .slice(0, n);
}

/** The measure wards are ranked by follows the ward layer on show. */
export function wardRanking(layer) {
  if (layer === 'wards-rate') return { key: 'rate_per_1000', title: 'Top wards by rate per 1,000 residents', fmt: (p) => `${dec1(p.rate_per_1000)} per 1,000 · ${int(p.count)} incidents` };
  if (layer === 'wards-change') return { key: 'change_pct', title: 'Top wards by rise on the previous period', fmt: (p) => `${signedPct(p.change_pct)} · ${int(p.prev_count)} → ${int(p.count)}` };
  return { key: 'count', title: 'Top wards by incidents', fmt: (p) => `${int(p.count)} incidents${p.rate_per_1000 != null ? ` · ${dec1(p.rate_per_1000)} per 1,000` : ''}` };
}

export function topWards(wards, layer, n = 10) {
  const { key } = wardRanking(layer);
  return (wards?.features ?? [])
    .filter((f) => f.properties[key] != null && (key !== 'count' || f.properties.count > 0))
    .sort((a, b) => b.properties[key] - a.properties[key] || b.properties.count - a.properties.count || a.properties.name.localeCompare(b.properties.name))
    .slice(0, n);
}

/**
 * renderTopLists fills the side lists. wardOf names the ward a cell lies
 * in; onPick(kind, feature) is called when an item is chosen.
 */
export function renderTopLists({ hex, wards, layer, wardOf, onPick }) {
  const hot = topHotspots(hex);
  const hexList = $('top-hex');
  hexList.replaceChildren();
  if (!hex) {
    hexList.innerHTML = '<li class="muted">Loading…</li>';
  } else if (hot.length === 0) {
    hexList.innerHTML = '<li class="muted">No significant hot spots for these filters.</li>';
  }
  hot.forEach((f) => {
    const p = f.properties;
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `pick gi${p.gi_bin}`;
    b.dataset.h3 = p.h3;
    const where = wardOf(f) || 'outside the wards';
    b.innerHTML = `<span class="pick-title">${escapeHTML(where)}</span><span class="pick-sub">${escapeHTML(significance(p.gi_bin, p.gi_z))} · ${int(p.count)} incidents</span>`;
    b.setAttribute('aria-label', `${where}: ${significance(p.gi_bin, p.gi_z)}, ${p.count} incidents. Show on map`);
    b.addEventListener('click', () => onPick('hex', f));
    li.append(b);
    hexList.append(li);
  });

  const rank = wardRanking(layer);
  $('top-wards-title').textContent = rank.title;
  const wardList = $('top-wards');
  wardList.replaceChildren();
  const top = topWards(wards, layer);
  if (!wards) wardList.innerHTML = '<li class="muted">Loading…</li>';
  else if (top.length === 0) wardList.innerHTML = '<li class="muted">No ward has incidents for these filters.</li>';
  top.forEach((f) => {
    const p = f.properties;
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'pick';
    b.dataset.ward = p.code;
    b.innerHTML = `<span class="pick-title">${escapeHTML(p.name)}</span><span class="pick-sub">${escapeHTML(rank.fmt(p))}</span>`;
    b.setAttribute('aria-label', `${p.name}: ${rank.fmt(p)}. Show on map`);
    b.addEventListener('click', () => onPick('ward', f));
    li.append(b);
    wardList.append(li);
  });
}

let detailsGen = 0;
// Where keyboard focus goes back to when the panel closes.
let returnFocus = null;

function openPanel(title, html, focus) {
  const panel = $('details');
  $('details-title').textContent = title;
  $('details-body').innerHTML = html;
  panel.hidden = false;
  if (focus) {
    returnFocus = document.activeElement;
    $('details-title').focus();
  }
}

export function closeDetails() {
  detailsGen++;
  const panel = $('details');
  const hadFocus = panel.contains(document.activeElement);
  panel.hidden = true;
  if (hadFocus && returnFocus?.isConnected) returnFocus.focus();
  returnFocus = null;
}

function row(label, value, cls = '') {
  return `<tr${cls ? ` class="${cls}"` : ''}><th scope="row">${escapeHTML(label)}</th><td>${value}</td></tr>`;
}

/**
 * The series request covers the previous period too, where the data reach
 * back that far, so the sparkline shows the comparison the change is
 * computed from.
 */
function seriesRange(state, meta) {
  const prev = previousPeriod(state.from, state.to, meta.months[0]);
  return { from: prev.complete ? prev.from : meta.months[0], complete: prev.complete };
}

async function loadSeries(gen, state, meta, key, onLoaded) {
  const el = $('details-series');
  const { from, complete } = seriesRange(state, meta);
  try {
    const ans = await api.json(api.seriesURL({ ...state, from }, key));
    if (gen !== detailsGen) return;
    el.innerHTML = `<h3>Incidents per month</h3>${sparkline(ans.series, state.from)}
      <p class="legend-note">${from < state.from ? 'Dashed: the previous period, for comparison.' : ''}</p>`;
    onLoaded?.(ans.series, complete);
  } catch (err) {
    if (gen !== detailsGen) return;
    el.innerHTML = `<p class="error-text" role="alert">${escapeHTML(err.words ? err.words() : String(err))}</p>`;
  }
}

/** showHex opens the panel for a hexagon's properties. */
export function showHex(p, { state, meta, ward, subject, focus }) {
  const gen = ++detailsGen;
  const sigClass = p.gi_bin > 0 ? 'hot' : p.gi_bin < 0 ? 'cold' : '';
  openPanel(`Hexagon in ${ward || 'no ward'}`, `
    <p class="details-subject">${escapeHTML(subject)}</p>
    <table class="facts">
      ${row('Incidents', int(p.count))}
      ${row('Significance', `<strong class="sig ${sigClass}">${escapeHTML(significance(p.gi_bin, p.gi_z))}</strong>`)}
      ${row('Gi* z-score', zScore(p.gi_z))}
      ${row('p-value (unadjusted)', pValue(p.gi_p))}
      ${row('Change on previous period', '<span id="details-change">…</span>')}
      ${row('Ward', escapeHTML(ward || 'outside the wards'))}
      ${row('H3 cell', `<code>${escapeHTML(p.h3)}</code>`)}
    </table>
    <p class="legend-note">Significance is after false-discovery-rate correction over the whole study area; the p-value shown is before it. Rates per resident are given for wards, not hexagons.</p>
    <div id="details-series" class="series"><p class="muted">Loading monthly figures…</p></div>`, focus);
  loadSeries(gen, state, meta, [['h3', p.h3]], (series, complete) => {
    const el = $('details-change');
    if (!el) return;
    if (!complete) {
      el.textContent = 'not available (the data start too late for a previous period)';
      return;
    }
    const cur = series.filter((m) => m.month >= state.from).reduce((a, m) => a + m.count, 0);
    const prev = series.filter((m) => m.month < state.from).reduce((a, m) => a + m.count, 0);
    el.textContent = prev === 0 ? `no incidents in the previous period (now ${int(cur)})` : `${signedPct(((cur - prev) / prev) * 100)} (${int(prev)} → ${int(cur)})`;
  });
}

/** showWard opens the panel for a ward's properties. */
export function showWard(p, { state, meta, subject, focus }) {
  const gen = ++detailsGen;
  const prev = previousPeriod(state.from, state.to, meta.months[0]);
  const prevRange = monthRange(prev.from, prev.to);
  // Against a previous period the data only partly cover, a change
  // overstates a rise: say so beside it.
  const partial = prev.complete ? '' : ` <span class="warn">(the data start in ${escapeHTML(month(meta.months[0]))}: overstated)</span>`;
  openPanel(`${p.name} ward`, `
    <p class="details-subject">${escapeHTML(subject)}</p>
    <table class="facts">
      ${row('Incidents', int(p.count))}
      ${row('Rate per 1,000 residents', p.rate_per_1000 == null ? 'not available (population unknown)' : dec1(p.rate_per_1000))}
      ${row('Population', p.population == null ? 'unknown' : int(p.population))}
      ${row(`Previous period (${prevRange})`, int(p.prev_count))}
      ${row('Change', p.change_pct == null ? 'not available (no incidents in the previous period)' : signedPct(p.change_pct) + partial)}
      ${row('Ward code', `<code>${escapeHTML(p.code)}</code>`)}
    </table>
    <div id="details-series" class="series"><p class="muted">Loading monthly figures…</p></div>`, focus);
  loadSeries(gen, state, meta, [['ward', p.code]]);
}

/** showIncident opens the panel for one incident. */
export function showIncident(p) {
  ++detailsGen;
  openPanel(p.category, `
    <table class="facts">
      ${row('Month', escapeHTML(month(p.month)))}
      ${row('Location', escapeHTML(p.location || 'not given'))}
      ${row('Ward', escapeHTML(p.ward_name || 'outside the wards'))}
      ${row('Outcome', escapeHTML(p.outcome || 'not recorded'))}
      ${row('Reference', `<code>${escapeHTML(p.id)}</code>`)}
    </table>
    <p class="legend-note">police.uk places incidents at the nearest of a set of anonymous map points, not the exact address.</p>`);
}
