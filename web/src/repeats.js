// The "Repeat locations" list: the places with the most incidents for
// the current filters (police.uk map points, or for partner records a
// premises or an exact point), each a button that flies the map to its
// point and rings it. The list has its own request, so the map never
// waits for it. A partner key gets only places of --suppress-below
// records or more (the server leaves the rest out), and is told so.

import * as api from './api.js';
import * as store from './state/store.js';
import * as layers from './layers.js';
import { escapeHTML, int, monthRange } from './format.js';
import { filterName } from './words.js';
import { repeatCount, repeatLine, outcomeWords, placeName } from './naming.js';
import { pickButton } from './panel.js';
import { isLocal, partnerLocal } from './state/local.js';
import { download } from './export.js';
import { focusName } from './focus.js';
import { csvName, csvText } from './csv.js';
import { locationsCSV, locationWords } from './premises-words.js';

const $ = (id) => document.getElementById(id);

// How many points the list shows.
export const TOP_REPEATS = 10;

// The point ("lon,lat") ringed on the map, kept while it stays in the list.
let chosen = '';
// The request the stored answer came from: a change of layer or grid asks
// nothing new.
let loadedURL = '';
let wired = false;

/**
 * loadRepeats asks for the repeat locations of state s, once ready has
 * settled, and lists them, unless current() says the filters have changed
 * meanwhile.
 */
export async function loadRepeats(s, current, ready = Promise.resolve()) {
  if (!wired) {
    wired = true;
    $('repeats-csv').addEventListener('click', downloadRepeats);
  }
  const u = api.repeatsURL(s);
  if (u === loadedURL && store.repeats()) return;
  loadedURL = u;
  store.setRepeats(null);
  renderRepeats();
  try {
    await ready;
    if (!current()) {
      // A newer state may have asked meanwhile: its URL stays.
      if (loadedURL === u) loadedURL = '';
      return;
    }
    const d = await api.json(u);
    if (!current()) return;
    store.setRepeats(d);
    renderRepeats();
  } catch (err) {
    if (!current()) return;
    loadedURL = '';
    // In the list, not the banner: the map itself is fine.
    $('repeats').innerHTML = `<li class="error-text" role="alert">${escapeHTML(err.words ? err.words() : String(err))}</li>`;
  }
}

/** repeatsNote says what the list holds, and for a partner what it leaves out. */
function repeatsNote(s) {
  if (!isLocal(s)) return 'police.uk map points with two or more incidents, busiest first. police.uk places each incident at the nearest of its anonymous map points, not the exact address.';
  const base = 'Places with two or more partner records, busiest first: a premises of the register (its records wherever they were placed), or else the exact point recorded.';
  // The answer takes no ward: a ward focus keeps the places in the ward,
  // but a premises' count stays all of its records.
  const inWard = s.ward ? ' Under a ward focus the list keeps the places in the ward; a premises still counts all its records, in the ward or not, so it can differ from the Premises list below.' : '';
  if (!partnerLocal(s, document.body.dataset.role)) return base + inWard;
  return `${base}${inWard} Places with fewer than ${int(store.meta().suppress_below ?? 5)} records are left out for a partner key, so that no one can be recognised.`;
}

/** shownRepeats are the features the list shows: a ward focus keeps its own. */
function shownRepeats(s, d) {
  // The repeat answer takes no ward: a ward focus keeps the points the
  // answer places in it.
  return d.features.filter((f) => !s.ward || f.properties.ward === s.ward);
}

function downloadRepeats() {
  const s = store.state();
  const d = store.repeats();
  if (!d) return;
  const [head, rows] = locationsCSV(shownRepeats(s, d));
  download(csvName('hotspot-repeat-locations', s.source || 'policeuk', s.priority || s.category, s.ward, `${s.from}_${s.to}`), csvText(head, rows), 'text/csv');
}

/** wardNames maps ward codes to names, from the wards answer on show. */
function wardNames() {
  return new Map((store.data().wards?.features ?? []).map((f) => [f.properties.code, f.properties.name]));
}

/** renderRepeats fills the list from the stored answer (null: loading). */
export function renderRepeats() {
  const s = store.state();
  const d = store.repeats();
  const list = $('repeats');
  const ward = s.ward ? focusName(s) || s.ward : '';
  $('repeats-subject').textContent = `${filterName(s)}${ward ? ` · ${ward} ward` : ''} · ${monthRange(s.from, s.to)}`;
  $('repeats-note').textContent = repeatsNote(s);
  $('repeats-csv').disabled = !d;
  list.replaceChildren();
  if (!d) {
    list.innerHTML = '<li class="muted">Loading…</li>';
    return;
  }
  const top = shownRepeats(s, d).slice(0, TOP_REPEATS);
  if (top.length === 0) list.innerHTML = `<li class="muted">No ${isLocal(s) ? 'place' : 'map point'}${s.ward ? ' in this ward' : ''} has two or more ${isLocal(s) ? 'records' : 'incidents'} for these filters${partnerLocal(s, document.body.dataset.role) ? ' that a partner key may see' : ''}.</li>`;
  const names = wardNames();
  for (const f of top) list.append(repeatItem(f, s, names.get(f.properties.ward) || ''));
  // A ring left from other filters would point at a place not listed.
  if (chosen && !top.some((f) => f.properties.id === chosen)) {
    chosen = '';
    const map = store.map();
    if (map) layers.setRepeat(map, null);
  }
}

/** repeatItem is one list entry: a premises by its name and kind, a point by its street. */
function repeatItem(f, s, ward) {
  const p = f.properties;
  const w = locationWords(p);
  const title = p.premises ? w.title : placeName(p.location, ward) || p.location;
  // Partner records carry no police outcome.
  const outcome = isLocal(s) ? '' : outcomeWords(p.top_outcome);
  // Partner records are counted as records, whatever their category.
  const count = isLocal(s) ? `${int(p.count)} records, ${monthRange(s.from, s.to)}` : repeatCount(p, s, store.priorities());
  const sub = [w.sub, count, outcome].filter(Boolean).map((x) => `<span class="pick-sub">${escapeHTML(x)}</span>`).join('');
  const label = `${p.premises ? `${w.title} (${w.sub}) — ${count}` : isLocal(s) ? `${p.location} — ${count}` : repeatLine(p, s, store.priorities())}${ward ? `, ${ward} ward` : ''}.${outcome ? ` ${outcome}` : ''}`;
  const { li, button } = pickButton('repeat', title, sub, label, () => showRepeat(f, button));
  button.dataset.point = p.id;
  if (p.id === chosen) button.setAttribute('aria-current', 'true');
  return li;
}

/** showRepeat flies to a repeat location and rings its point. */
function showRepeat(f, button) {
  chosen = f.properties.id;
  for (const b of $('repeats').querySelectorAll('button[aria-current]')) b.removeAttribute('aria-current');
  button.setAttribute('aria-current', 'true');
  const map = store.map();
  if (!map) return;
  layers.setRepeat(map, f);
  map.flyTo({ center: f.geometry.coordinates, zoom: Math.max(map.getZoom(), 15.5), duration: 800 });
}
