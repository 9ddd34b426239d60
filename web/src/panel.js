// The details panel (what a clicked cell, ward or incident holds) and the
// side lists of top hot spots and wards, each item a button that zooms the
// map to it.

import * as api from './api.js';
import { int, dec1, significance, pValue, zScore, signedPct, month, monthRange, previousPeriod, addMonths, escapeHTML, changeWords } from './format.js';
import { sparkline } from './sparkline.js';
import { countWords } from './withheld.js';
import { localParams, partnerLocal } from './state/local.js';
import { binStrip } from './strip.js';
import { patternWords } from './layers.js';
import { hotspotName, isEmptyHot, rankHotspots, incidents, EMPTY_HOT_WORDS, RATE_NOTE, outcomeRows, percent } from './naming.js';

const $ = (id) => document.getElementById(id);

/** Ranked hot spots: cells with incidents first, then significance and the
 * strength of the signal (naming.rankHotspots). */
export function topHotspots(hex, n = 10) {
  return rankHotspots(hex?.features ?? [], n);
}

/** The measure wards are ranked by follows the ward layer on show. */
export function wardRanking(layer) {
  if (layer === 'wards-rate') return { key: 'rate_per_1000', title: 'Top wards by rate per 1,000 residents', fmt: (p) => `${dec1(p.rate_per_1000)} per 1,000 residents · ${int(p.count)} incidents` };
  if (layer === 'wards-change') return { key: 'change_pct', title: 'Top wards by rise on the previous period', fmt: (p) => `${signedPct(p.change_pct)} · ${int(p.prev_count)} → ${int(p.count)}` };
  return { key: 'count', title: 'Top wards by incidents', fmt: (p) => `${int(p.count)} incidents${p.rate_per_1000 != null ? ` · ${dec1(p.rate_per_1000)} per 1,000 residents` : ''}` };
}

export function topWards(wards, layer, n = 10) {
  const { key } = wardRanking(layer);
  // Rises rank only where tested (change_p null: nothing to test, or a base period the data do not cover), significant ones first.
  const change = layer === 'wards-change';
  return (wards?.features ?? [])
    .filter((f) => f.properties[key] != null && (key !== 'count' || f.properties.count > 0) && (!change || f.properties.change_p != null))
    .sort((a, b) => (change ? b.properties.change_bin - a.properties.change_bin : 0) || b.properties[key] - a.properties[key] || b.properties.count - a.properties.count || a.properties.name.localeCompare(b.properties.name))
    .slice(0, n);
}

/**
 * renderTopLists fills the side lists. wardOf names the ward a cell lies
 * in; onPick(kind, feature) is called when an item is chosen.
 */
export function renderTopLists({ hex, wards, layer, wardOf, onPick, focus = null }) {
  // Gi* is found over the whole city; a ward focus lists the cells whose
  // centre lies in the ward.
  const inWard = focus && hex ? { ...hex, features: hex.features.filter((f) => wardOf(f) === focus.properties.name) } : hex;
  renderHexList(inWard, wardOf, onPick, focus);
  renderWardList(focus && wards ? { ...wards, features: [focus] } : wards, layer, onPick, focus);
  $('top-hex').dataset.ward = focus?.properties.code ?? '';
}

/** pickButton is a list entry: a button that shows its item on the map. */
export function pickButton(cls, title, sub, label, onClick) {
  const li = document.createElement('li');
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `pick ${cls}`;
  b.innerHTML = `<span class="pick-title">${escapeHTML(title)}</span>${sub}`;
  b.setAttribute('aria-label', `${label}. Show on map`);
  b.addEventListener('click', onClick);
  li.append(b);
  return { li, button: b };
}

function renderHexList(hex, wardOf, onPick, focus) {
  const hot = topHotspots(hex);
  $('top-hex-title').textContent = focus ? `Top hot spots in ${focus.properties.name}` : 'Top hot spots';
  const hexList = $('top-hex');
  hexList.replaceChildren();
  if (!hex) {
    hexList.innerHTML = '<li class="muted">Loading…</li>';
  } else if (hot.length === 0) {
    hexList.innerHTML = `<li class="muted">No significant hot spots${focus ? ' in this ward' : ''} for these filters.</li>`;
  }
  hot.forEach((f) => {
    const p = f.properties;
    const ward = wardOf(f);
    const where = hotspotName(p, ward, ward || 'outside the wards');
    const empty = isEmptyHot(p);
    const sig = significance(p.gi_bin, p.gi_z);
    const sub = `<span class="pick-sub">${escapeHTML(sig)} · ${incidents(p.count)}</span>${empty ? `<span class="pick-empty">${escapeHTML(EMPTY_HOT_WORDS)}</span>` : ''}`;
    const label = `${where}: ${sig}, ${incidents(p.count)}${empty ? `. ${EMPTY_HOT_WORDS}` : ''}`;
    const { li, button } = pickButton(`gi${p.gi_bin}${empty ? ' empty-hot' : ''}`, where, sub, label, () => onPick('hex', f));
    button.dataset.h3 = p.h3;
    hexList.append(li);
  });
}

function renderWardList(wards, layer, onPick, focus) {
  const rank = wardRanking(layer);
  $('top-wards-title').textContent = focus ? `${focus.properties.name} ward` : rank.title;
  const wardList = $('top-wards');
  wardList.replaceChildren();
  const top = topWards(wards, layer);
  if (!wards) wardList.innerHTML = '<li class="muted">Loading…</li>';
  else if (top.length === 0) wardList.innerHTML = `<li class="muted">${layer === 'wards-change' ? 'No ward change can be tested for these filters (no incidents, or a previous period the data do not cover).' : 'No ward has incidents for these filters.'}</li>`;
  top.forEach((f) => {
    const p = f.properties;
    const { li, button } = pickButton('', p.name, `<span class="pick-sub">${escapeHTML(rank.fmt(p))}</span>`, `${p.name}: ${rank.fmt(p)}`, () => onPick('ward', f));
    button.dataset.ward = p.code;
    wardList.append(li);
  });
  // The count and rate lists show rates; the change list does not.
  const note = $('top-wards-note');
  note.hidden = layer === 'wards-change' || top.length === 0;
  note.textContent = RATE_NOTE;
}

let detailsGen = 0;
// Called when the panel closes (the map point panel drops its ring).
let onClose = null;
export function setOnClose(fn) {
  onClose = fn;
}
// Where keyboard focus goes back to when the panel closes.
let returnFocus = null;

/** openPanel shows the details panel with a title and body (HTML). */
export function openPanel(title, html, focus, cls = '') {
  const panel = $('details');
  runOnClose();
  panel.className = `details ${cls}`.trim();
  $('details-title').textContent = title;
  $('details-body').innerHTML = html;
  panel.hidden = false;
  if (focus) {
    returnFocus = document.activeElement;
    $('details-title').focus();
  }
}

function runOnClose() {
  const f = onClose;
  onClose = null;
  f?.();
}

export function closeDetails() {
  detailsGen++;
  runOnClose();
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

/**
 * outcomesHTML shows the top five last outcomes of the incidents in a
 * place (`where`: "this hexagon", "this ward"), each with its count and
 * share, and the rest in one row.
 */
export function outcomesHTML(outcomes, where, period) {
  const { total, rows, rest } = outcomeRows(outcomes, 5);
  if (total === 0) return `<h3>Outcomes</h3><p class="muted">No incidents in ${escapeHTML(where)} for these filters, so no outcomes.</p>`;
  const tr = (name, count, pct) => `<tr><td>${escapeHTML(name)}</td><td class="num">${int(count)}</td><td class="num">${percent(pct)}</td></tr>`;
  const body = rows.map((r) => tr(r.outcome, r.count, r.pct)).join('') +
    (rest ? tr(`${int(rest.outcomes)} other outcome${rest.outcomes > 1 ? 's' : ''}`, rest.count, rest.pct) : '');
  return `<h3>Last recorded outcome (police.uk)</h3>
    <table class="outcomes" data-testid="outcomes"><thead><tr><th scope="col">Outcome</th><th scope="col" class="num">Incidents</th><th scope="col" class="num">Share</th></tr></thead><tbody>${body}</tbody></table>
    <p class="legend-note">Of the ${int(total)} incidents in ${escapeHTML(where)}, ${escapeHTML(period)}: the latest outcome police.uk holds for each; share of those incidents.</p>`;
}

async function loadOutcomes(gen, state, key, where) {
  const el = $('details-outcomes');
  try {
    const ans = await api.json(api.outcomesURL(state, key));
    if (gen !== detailsGen) return;
    el.innerHTML = outcomesHTML(ans.outcomes, where, monthRange(state.from, state.to));
  } catch (err) {
    if (gen !== detailsGen) return;
    el.innerHTML = `<p class="error-text" role="alert">${escapeHTML(err.words ? err.words() : String(err))}</p>`;
  }
}

/** showHex opens the panel for a hexagon's properties. */
export function showHex(p, { state, meta, ward, subject, focus }) {
  const gen = ++detailsGen;
  const sigClass = p.gi_bin > 0 ? 'hot' : p.gi_bin < 0 ? 'cold' : '';
  const empty = isEmptyHot(p) ? `<p class="empty-hot-note" data-testid="empty-hot">${escapeHTML(EMPTY_HOT_WORDS)}.</p>` : '';
  openPanel(hotspotName(p, ward, `Hexagon in ${ward || 'no ward'}`), `
    <p class="details-subject">${escapeHTML(subject)}</p>
    ${empty}
    <table class="facts">
      ${row('Incidents', countWords(p, meta.suppress_below))}
      ${row('Commonest police.uk location', escapeHTML(p.top_location || (p.count ? 'not given' : 'none (no incident)')))}
      ${row('Significance', `<strong class="sig ${sigClass}">${escapeHTML(significance(p.gi_bin, p.gi_z))}</strong>`)}
      ${row('Gi* z-score', zScore(p.gi_z))}
      ${row('p-value (unadjusted)', pValue(p.gi_p))}
      ${row('Change on previous period', '<span id="details-change">…</span>')}
      ${row('Ward', escapeHTML(ward || 'outside the wards'))}
      ${row('H3 cell', `<code>${escapeHTML(p.h3)}</code>`)}
    </table>
    <p class="legend-note">Significance is after false-discovery-rate correction over the whole study area; the p-value shown is before it. Rates per resident are given for wards, not hexagons.</p>
    <div id="details-outcomes"><p class="muted">Loading outcomes…</p></div>
    <div id="details-series" class="series"><p class="muted">Loading monthly figures…</p></div>`, focus);
  loadOutcomes(gen, state, [['h3', p.h3]], 'this hexagon');
  loadSeries(gen, state, meta, [['h3', p.h3]], (series, complete) => {
    const el = $('details-change');
    if (!el) return;
    if (!complete) {
      el.textContent = 'not available (the data start too late for a previous period)';
      return;
    }
    if (series.some((m) => m.count == null)) {
      el.textContent = 'not shown: some months’ counts are withheld from a partner key';
      return;
    }
    const cur = series.filter((m) => m.month >= state.from).reduce((a, m) => a + m.count, 0);
    const prev = series.filter((m) => m.month < state.from).reduce((a, m) => a + m.count, 0);
    el.textContent = prev === 0 ? `no incidents in the previous period (now ${int(cur)})` : `${signedPct(((cur - prev) / prev) * 100)} (${int(prev)} → ${int(cur)})`;
  });
}

/**
 * showEmerging opens the panel for a cell of the emerging hot spot layer:
 * its pattern in words, the trend, and the monthly bins as a strip.
 */
export function showEmerging(p, { state, meta, ward, subject, focus }) {
  ++detailsGen;
  const { name, meaning } = patternWords(p.pattern);
  const trend = p.trend_p <= 0.05 && p.trend_z !== 0
    ? `${p.trend_z > 0 ? 'rising' : 'falling'}, significant (z ${zScore(p.trend_z)}, p ${pValue(p.trend_p)})`
    : `no significant trend (z ${zScore(p.trend_z)}, p ${pValue(p.trend_p)})`;
  const cls = p.pattern.endsWith('_hot') ? 'hot' : p.pattern.endsWith('_cold') ? 'cold' : '';
  const n = p.bins.length;
  openPanel(hotspotName(p, ward, `Hexagon in ${ward || 'no ward'}`), `
    <p class="details-subject">${escapeHTML(subject)}</p>
    <p class="pattern"><strong class="sig ${cls}" data-testid="pattern">${escapeHTML(name)}</strong>${meaning ? `: ${escapeHTML(meaning)}.` : ''}</p>
    <h3>Gi* bin per month</h3>
    ${binStrip(p.bins, state.from)}
    <p class="legend-note">Each square is a month, oldest first, coloured as the Gi* map; a mark beneath is a month counted hot (red) or cold (blue): 95 % confidence or more after FDR correction.</p>
    <table class="facts">
      ${row('Incidents', countWords(p, meta.suppress_below))}
      ${row('Hot months', `${int(p.months_hot)} of ${int(n)}`)}
      ${row('Cold months', `${int(p.months_cold)} of ${int(n)}`)}
      ${row('Trend of the monthly Gi* z (Mann-Kendall)', escapeHTML(trend))}
      ${row('Ward', escapeHTML(ward || 'outside the wards'))}
      ${row('H3 cell', `<code>${escapeHTML(p.h3)}</code>`)}
    </table>`, focus);
}

/** showWard opens the panel for a ward's properties. */
export function showWard(p, { state, meta, subject, focus }) {
  const gen = ++detailsGen;
  const prev = state.compare === 'year'
    ? { from: addMonths(state.from, -12), to: addMonths(state.to, -12), complete: addMonths(state.from, -12) >= meta.months[0] }
    : previousPeriod(state.from, state.to, meta.months[0]);
  const prevRange = monthRange(prev.from, prev.to);
  // Against a previous period the data only partly cover, a change
  // overstates a rise: say so beside it.
  const partial = prev.complete ? '' : ` <span class="warn">(the data start in ${escapeHTML(month(meta.months[0]))}: overstated)</span>`;
  openPanel(`${p.name} ward`, `
    <p class="details-subject">${escapeHTML(subject)}</p>
    <table class="facts">
      ${row('Incidents', countWords(p, meta.suppress_below))}
      ${row('Rate per 1,000 residents', p.rate_per_1000 == null ? 'not available (population unknown)' : dec1(p.rate_per_1000))}
      ${row('Population', p.population == null ? 'unknown' : int(p.population))}
      ${row(`${state.compare === 'year' ? 'Same months last year' : 'Previous period'} (${prevRange})`, int(p.prev_count))}
      ${row('Change', p.change_pct == null ? 'not available (no incidents in the previous period)' : signedPct(p.change_pct) + partial)}
      ${row('Significant?', escapeHTML(changeWords(p)))}
      ${row('Ward code', `<code>${escapeHTML(p.code)}</code>`)}
    </table>
    <p class="legend-note">${escapeHTML(RATE_NOTE)}</p>
    ${briefLink(p.code, state)}
    <div id="details-outcomes"><p class="muted">Loading outcomes…</p></div>
    <div id="details-series" class="series"><p class="muted">Loading monthly figures…</p></div>`, focus);
  loadOutcomes(gen, state, [['ward', p.code]], 'this ward');
  loadSeries(gen, state, meta, [['ward', p.code]]);
}

/** briefLink is the ward's printable briefing on the priority shown,
 * ending at the last month shown (a brief is on one priority). */
function briefLink(code, state) {
  if (!state.priority) return '<p class="legend-note">Choose a priority for a printable ward brief.</p>';
  if (partnerLocal(state, document.body.dataset.role)) return '<p class="legend-note">Ward briefs on partner records need an analyst key: their figures are not suppressed.</p>';
  const q = new URLSearchParams([['priority', state.priority], ['month', state.to], ...localParams(state)]);
  return `<p><a href="/briefings/wards/${encodeURIComponent(code)}?${escapeHTML(q.toString())}" target="_blank" rel="noopener" data-testid="ward-brief">Ward brief (print)</a></p>`;
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
