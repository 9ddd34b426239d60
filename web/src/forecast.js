// "Where to patrol next month": the forecast layer's target hexagons for
// the current priority and grid, how that choice has done in the
// backtest, and how the months on show caught the latest of them. The
// section has its own requests, so the map never waits for it; the
// targets are outlined on the map only when the planner asks.

import { partnerLocal } from './state/local.js';
import * as api from './api.js';
import * as store from './state/store.js';
import * as layers from './layers.js';
import { escapeHTML, monthsBetween } from './format.js';
import { filterName } from './words.js';
import { forecastSummary, giComparison, backtestCheck, targetLine, FORECAST_NOTE } from './forecast-words.js';
import { pickButton } from './panel.js';
import { polygonsOf, ringCentre } from './geo.js';

const $ = (id) => document.getElementById(id);

// How many target hexagons the list names.
export const TOP_TARGETS = 10;

let loaded = { forecast: '', check: '' };
let answer = null;

/** loadForecast asks for the targets and the check of state s once ready has settled. */
export async function loadForecast(s, current, ready = Promise.resolve()) {
  const fu = api.forecastURL(s);
  const train = s.from && s.to ? monthsBetween(s.from, s.to) - 1 : 0;
  // The check's hit counts are not suppressed: a partner key on partner
  // records gets the targets without it.
  const cu = train >= 1 && !partnerLocal(s, document.body.dataset.role) ? api.backtestURL(s, train) : '';
  if (fu === loaded.forecast && cu === loaded.check) return;
  loaded = { forecast: fu, check: cu };
  answer = null;
  render(null, '');
  try {
    await ready;
    if (!current()) {
      // A newer state may have asked meanwhile: its URLs stay.
      if (loaded.forecast === fu && loaded.check === cu) loaded = { forecast: '', check: '' };
      return;
    }
    const [f, b] = await Promise.all([api.get(fu), cu ? api.get(cu) : Promise.resolve(null)]);
    if (!current()) return;
    answer = f.data;
    render(f.data, b ? backtestCheck(b.data) : '');
  } catch (err) {
    if (!current()) return;
    loaded = { forecast: '', check: '' };
    $('forecast').innerHTML = `<li class="error-text" role="alert">${escapeHTML(err.words ? err.words() : String(err))}</li>`;
  }
}

/** render fills the section (d null: loading). */
function render(d, check) {
  const s = store.state();
  $('forecast-subject').textContent = `${filterName(s)} · hexagons H3 res ${s.res}`;
  $('forecast-check').textContent = check;
  $('forecast-check').hidden = !check;
  const list = $('forecast');
  list.replaceChildren();
  showOnMap();
  if (!d) {
    $('forecast-summary').textContent = '';
    $('forecast-gi').textContent = '';
    list.innerHTML = '<li class="muted">Loading…</li>';
    return;
  }
  $('forecast-summary').textContent = forecastSummary(d.hotspot, d.features.length);
  $('forecast-gi').textContent = giComparison(d.hotspot);
  if (d.features.length === 0) list.innerHTML = '<li class="muted">No hexagon to target for these filters.</li>';
  for (const f of d.features.slice(0, TOP_TARGETS)) {
    const p = f.properties;
    const title = p.top_location || `Hexagon ${p.h3}`;
    const line = targetLine(p, d.hotspot.months, d.hotspot.suppress_below);
    const sub = `<span class="pick-sub">${escapeHTML(line)}</span>`;
    const { li } = pickButton('target', title, sub, `${line}: ${title}`, () => fly(f));
    li.querySelector('button').dataset.h3 = p.h3;
    list.append(li);
  }
}

function fly(f) {
  const map = store.map();
  if (!map) return;
  $('forecast-show').checked = true;
  showOnMap();
  map.flyTo({ center: ringCentre(polygonsOf(f.geometry)[0][0]), zoom: Math.max(map.getZoom(), 14.5), duration: 800 });
}

/** showOnMap outlines the target hexagons when the switch is on. */
export function showOnMap() {
  const map = store.map();
  if (!map) return;
  layers.setForecast(map, $('forecast-show').checked && answer ? answer : null);
}

/** initForecast wires the switch and the note. */
export function initForecast() {
  $('forecast-note').textContent = FORECAST_NOTE;
  $('forecast-show').addEventListener('change', showOnMap);
}
