// The side panel's "Day and hour" section: the day × hour heat grid of
// partner records for the filters and the ward in focus, with its legend,
// period, hover counts, withheld cells hatched and a CSV download. For
// police.uk it says why there is none: police.uk gives the month only.

import * as api from './api.js';
import * as store from './state/store.js';
import { escapeHTML, monthRange } from './format.js';
import { download } from './export.js';
import { focusWhere } from './focus.js';
import { filterName } from './words.js';
import { isLocal } from './state/local.js';
import { heatSVG, heatCSV, heatLegend, cellsOf } from './heatgrid.js';
import { withheldWords } from './withheld.js';
import { HEAT_ZERO } from './palette.js';

const $ = (id) => document.getElementById(id);

export const NO_TIME = 'police.uk has no time of day: it gives the month of each crime only. Choose a partner source (sign in with a partner or analyst key) to see records by weekday and hour.';

let loadedURL = '';

/** loadTemporal asks for the grid of state s, unless current() says it is stale. */
export async function loadTemporal(s, current) {
  const box = $('temporal');
  if (!box) return;
  const where = focusWhere(s);
  $('temporal-title').textContent = `Day and hour · ${where}`;
  if (!isLocal(s)) {
    loadedURL = '';
    box.innerHTML = `<p class="legend-note" data-testid="temporal-none">${escapeHTML(NO_TIME)}</p>`;
    return;
  }
  const u = api.temporalURL(s);
  if (u === loadedURL) return;
  loadedURL = u;
  box.innerHTML = '<p class="muted">Loading…</p>';
  try {
    const t = await api.json(u);
    if (!current()) return;
    render(box, t, s, where);
  } catch (err) {
    if (!current()) return;
    loadedURL = '';
    box.innerHTML = `<p class="error-text" role="alert">${escapeHTML(err.words ? err.words() : String(err))}</p>`;
  }
}

function render(box, t, s, where) {
  const below = store.meta().suppress_below;
  const cells = cellsOf(t);
  const peak = Math.max(0, ...cells.map((c) => c.count ?? 0));
  const withheld = cells.filter((c) => c.withheld).length;
  const keys = [
    '<li><span class="swatch" style="background:${HEAT_ZERO}" aria-hidden="true"></span><span class="label">0</span></li>',
    ...heatLegend(peak).map((k) => `<li><span class="swatch" style="background:${k.color}" aria-hidden="true"></span><span class="label">${escapeHTML(k.label)} records</span></li>`),
    withheld ? `<li data-testid="temporal-withheld"><span class="swatch hatch" style="--c:#d9d9d9" aria-hidden="true"></span><span class="label">Hatched (${withheld} hours): ${escapeHTML(withheldWords(below))}</span></li>` : '',
  ].join('');
  const period = monthRange(t.meta?.from ?? s.from, t.meta?.to ?? s.to);
  box.innerHTML = `<p class="legend-note">${escapeHTML(filterName(s))} · ${escapeHTML(period)} · ${escapeHTML(where)}: records in each hour of the week, local time (Europe/London). Hover a cell for its count.</p>
    ${heatSVG(t, below)}
    <ul class="legend-classes heat-legend">${keys}</ul>
    <p class="legend-note">Rows are calendar days: under hours 20-04 a record at Saturday 02:00 is Friday night's, drawn in Saturday's row.</p>
    <button type="button" class="small" id="temporal-csv" data-testid="temporal-csv">CSV ⤓</button>`;
  const name = `hotspot-day-hour-${s.source}-${s.ward || 'city'}-${s.from}_${s.to}.csv`.replace(/[^A-Za-z0-9._-]+/g, '-');
  $('temporal-csv').addEventListener('click', () => download(name, heatCSV(t), 'text/csv'));
}
