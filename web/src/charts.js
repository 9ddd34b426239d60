// The side panel's charts for the current selection (priority or crime
// type, and the ward in focus, if any): the 24-month trend as a small SVG
// with its numbers as a CSV download, and the crime types behind the
// incidents, summed from the map points' categories. Their own requests:
// the map never waits for them.

import * as api from './api.js';
import * as store from './state/store.js';
import { addMonths, escapeHTML, int, month, monthRange } from './format.js';
import { download } from './export.js';
import { focusWhere } from './focus.js';
import { loadTemporal } from './temporal.js';
import { isLocal, partnerLocal } from './state/local.js';

const $ = (id) => document.getElementById(id);

export const TREND_MONTHS = 24;
const TOP_TYPES = 8;

let trendRows = [];
let trendName = '';

/**
 * trendRange is the 24 months ending at the view's end month, cut to the
 * months the data hold (months before the data are not zeros to draw).
 */
export function trendRange(to, firstMonth) {
  const from = addMonths(to, -(TREND_MONTHS - 1));
  return { from: firstMonth && from < firstMonth ? firstMonth : from, to };
}

/** trendCSV is the chart's numbers as CSV, one month a row. */
export function trendCSV(rows) {
  return 'month,count\n' + rows.map((r) => `${r.month},${r.count ?? 'withheld'}`).join('\n') + '\n';
}

/**
 * trendSVG draws monthly counts as bars, the months on show darker, with
 * the peak and the first and last months labelled.
 */
export function trendSVG(rows, s, { width = 300, height = 110 } = {}) {
  if (rows.length === 0) return '<p class="muted">No monthly figures.</p>';
  const pad = { l: 30, r: 4, t: 8, b: 16 };
  const max = Math.max(1, ...rows.map((r) => r.count ?? 0));
  const w = (width - pad.l - pad.r) / rows.length;
  const h = height - pad.t - pad.b;
  const bars = rows.map((r, i) => {
    // A withheld month (null, partner keys) is a short grey bar, not a zero.
    const bh = r.count == null ? 4 : (r.count / max) * h;
    const on = r.month >= s.from && r.month <= s.to;
    const cls = r.count == null ? 'withheld' : on ? 'on' : 'off';
    const n = r.count == null ? `fewer than ${store.meta()?.suppress_below ?? 5}, withheld` : int(r.count);
    return `<rect x="${(pad.l + i * w + 0.5).toFixed(1)}" y="${(pad.t + h - bh).toFixed(1)}" width="${Math.max(1, w - 1).toFixed(1)}" height="${bh.toFixed(1)}" class="${cls}"><title>${escapeHTML(month(r.month))}: ${n}</title></rect>`;
  }).join('');
  const desc = rows.map((r) => `${month(r.month)}: ${r.count ?? 'withheld'}`).join('; ');
  return `<svg class="trend-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Incidents per month. ${escapeHTML(desc)}">
    <line x1="${pad.l}" y1="${pad.t + h}" x2="${width - pad.r}" y2="${pad.t + h}" class="axis-line"/>
    <text x="${pad.l - 3}" y="${pad.t + 4}" text-anchor="end" class="axis">${int(max)}</text>
    <text x="${pad.l - 3}" y="${pad.t + h}" text-anchor="end" class="axis">0</text>
    ${bars}
    <text x="${pad.l}" y="${height - 3}" class="axis">${escapeHTML(month(rows[0].month))}</text>
    <text x="${width - pad.r}" y="${height - 3}" text-anchor="end" class="axis">${escapeHTML(month(rows[rows.length - 1].month))}</text>
  </svg>`;
}

/**
 * typeRows sums the map points' categories into crime types, busiest
 * first, the rest in one row, so the rows always add up to the total.
 */
export function typeRows(points, n = TOP_TYPES) {
  const sums = new Map();
  for (const f of points?.features ?? []) {
    for (const [cat, c] of Object.entries(f.properties.categories ?? {})) sums.set(cat, (sums.get(cat) ?? 0) + c);
  }
  const all = [...sums].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  const total = all.reduce((a, r) => a + r.count, 0);
  const rows = all.slice(0, n);
  const rest = all.slice(n);
  if (rest.length) rows.push({ type: `${rest.length} other type${rest.length > 1 ? 's' : ''}`, count: rest.reduce((a, r) => a + r.count, 0) });
  return { total, rows };
}

function breakdownHTML({ total, rows }, where, period, s) {
  const what = !isLocal(s) ? 'incidents' : s.source === 'all' ? 'incidents and partner records' : 'partner records';
  if (total === 0) return `<p class="muted">No located ${what} in ${escapeHTML(where)} for these filters.</p>`;
  const max = rows[0].count;
  const li = rows.map((r) => `<li><span class="bd-name">${escapeHTML(r.type)}</span><span class="bd-bar" style="width:${((r.count / max) * 100).toFixed(1)}%"></span><span class="bd-n">${int(r.count)}</span></li>`).join('');
  return `<ul class="bd-list">${li}</ul>
    <p class="legend-note">${int(total)} located ${what} in ${escapeHTML(where)}, ${escapeHTML(period)}, ${isLocal(s) ? 'summed over the places they were recorded at' : 'summed over police.uk’s map points'} (those without a location are not counted).</p>`;
}

let trendURL = '';

/** trendTimeNote says which records carry a time of day and where it shows. */
function trendTimeNote(s) {
  if (!isLocal(s)) return 'Months only: police.uk gives no day or time.';
  if (s.source === 'all') return 'police.uk gives months only; partner records carry a time, which the day × hour grid shows.';
  return 'Partner records carry a time: the day × hour grid shows when they happened.';
}

/**
 * chartTitles names the charts' area in their titles and returns it. The
 * charts may be asked for before the wards answer has come; the refresh
 * calls this again once it has, so a ward in focus is named.
 */
export function chartTitles(s) {
  const where = focusWhere(s);
  const { from, to } = trendRange(s.to, store.meta().months[0]);
  $('trend-title').textContent = `Trend, ${monthRange(from, to)} · ${where}`;
  $('breakdown-title').textContent = `Crime types · ${where}`;
  $('temporal-title').textContent = `Day and hour · ${where}`;
  return where;
}

/**
 * loadCharts asks for the trend and the crime types of the view;
 * current() says whether it is still wanted. The promise settles when
 * the trend is drawn.
 */
export function loadCharts(s, current) {
  const where = chartTitles(s);
  const { from, to } = trendRange(s.to, store.meta().months[0]);
  const key = s.ward ? [['ward', s.ward]] : [];
  const u = api.seriesURL({ ...s, from, to }, key);
  // The day × hour grid follows the same filters and ward focus.
  loadTemporal(s, current);
  const pointsP = partnerLocal(s, document.body.dataset.role) ? Promise.resolve(noTypes()) : api.json(api.pointsURL(s, s.ward)).then((pts) => {
    if (!current()) return;
    $('breakdown').innerHTML = breakdownHTML(typeRows(pts), where, monthRange(s.from, s.to), s);
  }, (err) => current() && showErr('breakdown', err));
  // Drawn already for these filters (the map's refresh after a focus).
  if (trendURL === u) return pointsP;
  return api.json(u).then((ans) => {
    if (!current()) return;
    trendRows = ans.series;
    trendName = `hotspot-trend-${s.priority || s.category || 'all-crime'}-${s.ward || 'city'}-${from}_${to}.csv`.replace(/[^A-Za-z0-9._-]+/g, '-');
    $('trend').innerHTML = `${trendSVG(trendRows, s)}
      <p class="legend-note">Darker bars: the months on show. ${trendTimeNote(s)}</p>
      <button type="button" class="small" id="trend-csv" data-testid="trend-csv">CSV ⤓</button>`;
    $('trend-csv').addEventListener('click', () => download(trendName, trendCSV(trendRows), 'text/csv'));
    $('trend').dataset.ward = s.ward;
    trendURL = u;
    store.markPanel(performance.now());
  }, (err) => current() && showErr('trend', err));
}

// The crime types come from the map points, which are incident-level:
// a partner key sees partner records in counts only.
function noTypes() {
  $('breakdown').innerHTML = '<p class="legend-note">The crime types of partner records come from their incident-level points, which need an analyst key.</p>';
}

function showErr(id, err) {
  $(id).innerHTML = `<p class="error-text" role="alert">${escapeHTML(err.words ? err.words() : String(err))}</p>`;
}
