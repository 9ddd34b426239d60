// The "Repeat locations" list: the police.uk map points with the most
// incidents for the current filters, each a button that flies the map to
// its point and rings it. The list has its own request, so the map never
// waits for it.

import * as api from './api.js';
import * as store from './state/store.js';
import * as layers from './layers.js';
import { escapeHTML, monthRange } from './format.js';
import { filterName } from './words.js';
import { repeatCount, repeatLine, outcomeWords, placeName } from './naming.js';
import { pickButton } from './panel.js';

const $ = (id) => document.getElementById(id);

// How many points the list shows.
export const TOP_REPEATS = 10;

// The point ("lon,lat") ringed on the map, kept while it stays in the list.
let chosen = '';
// The request the stored answer came from: a change of layer or grid asks
// nothing new.
let loadedURL = '';

/**
 * loadRepeats asks for the repeat locations of state s, once ready has
 * settled, and lists them, unless current() says the filters have changed
 * meanwhile.
 */
export async function loadRepeats(s, current, ready = Promise.resolve()) {
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

/** wardNames maps ward codes to names, from the wards answer on show. */
function wardNames() {
  return new Map((store.data().wards?.features ?? []).map((f) => [f.properties.code, f.properties.name]));
}

/** renderRepeats fills the list from the stored answer (null: loading). */
export function renderRepeats() {
  const s = store.state();
  const d = store.repeats();
  const list = $('repeats');
  $('repeats-subject').textContent = `${filterName(s)} · ${monthRange(s.from, s.to)}`;
  list.replaceChildren();
  if (!d) {
    list.innerHTML = '<li class="muted">Loading…</li>';
    return;
  }
  // The repeat answer takes no ward: a ward focus keeps the points the
  // answer places in it.
  const top = d.features.filter((f) => !s.ward || f.properties.ward === s.ward).slice(0, TOP_REPEATS);
  if (top.length === 0) list.innerHTML = `<li class="muted">No map point${s.ward ? ' in this ward' : ''} has two or more incidents for these filters.</li>`;
  const names = wardNames();
  for (const f of top) {
    const p = f.properties;
    const ward = names.get(p.ward) || '';
    const title = placeName(p.location, ward) || p.location;
    const sub = `<span class="pick-sub">${escapeHTML(repeatCount(p, s, store.priorities()))}</span><span class="pick-sub">${escapeHTML(outcomeWords(p.top_outcome))}</span>`;
    const label = `${repeatLine(p, s, store.priorities())}${ward ? `, ${ward} ward` : ''}. ${outcomeWords(p.top_outcome)}`;
    const { li, button } = pickButton('repeat', title, sub, label, () => showRepeat(f, button));
    button.dataset.point = p.id;
    if (p.id === chosen) button.setAttribute('aria-current', 'true');
    list.append(li);
  }
  // A ring left from other filters would point at a place not listed.
  if (chosen && !top.some((f) => f.properties.id === chosen)) {
    chosen = '';
    const map = store.map();
    if (map) layers.setRepeat(map, null);
  }
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
