// The incidents at one police.uk map point, listed when the point is
// clicked: newest first, a page at a time, every field in full (the
// panel scrolls; nothing is cut).

import * as api from './api.js';
import * as store from './state/store.js';
import * as layers from './layers.js';
import { escapeHTML, int, month, monthRange } from './format.js';
import { filterName } from './words.js';
import { placeName } from './naming.js';
import { openPanel, setOnClose } from './panel.js';

const $ = (id) => document.getElementById(id);

export const PAGE = 100;

let gen = 0;

/** incidentItem is one incident of the list, every field spelt out. */
export function incidentItem(p) {
  return `<li><span class="pl-head">${escapeHTML(month(p.month))} · ${escapeHTML(p.category)}</span><br>
    Outcome: ${escapeHTML(p.outcome || 'No outcome recorded')}<br>
    Reference: <code>${escapeHTML(p.id)}</code></li>`;
}

/**
 * showPoint opens the panel for a map point feature: its place, its count,
 * and the incidents at it for the current filters.
 */
export function showPoint(rendered) {
  const mine = ++gen;
  // A rendered feature's position is rounded to its tile's grid; the
  // answer's is police.uk's own, which the incidents are looked up by.
  const f = store.data().points?.features.find((x) => x.properties.id === rendered.properties.id) ?? rendered;
  const s = store.state();
  const p = f.properties;
  const lonLat = f.geometry.coordinates;
  const wards = new Map((store.data().wards?.features ?? []).map((w) => [w.properties.code, w.properties.name]));
  const title = placeName(p.location, wards.get(p.ward) || '') || 'Map point';
  openPanel(title, `
    <p class="details-subject">${escapeHTML(filterName(s))} · ${escapeHTML(monthRange(s.from, s.to))}</p>
    <p data-testid="point-count"><strong>${int(p.count)} incident${p.count === 1 ? '' : 's'} at this point</strong>, newest first.</p>
    <ol id="point-list" class="point-list" data-testid="point-list"></ol>
    <p id="point-more-box"></p>
    <p class="legend-note">police.uk moves each incident to the nearest of its anonymous map points, so this is a street or place, not an address. Months only: no day or time of day; partner records hold times.</p>`, true, 'points-open');
  const map = store.map();
  if (map) layers.setRepeat(map, { type: 'Feature', geometry: f.geometry, properties: {} });
  setOnClose(() => {
    const m = store.map();
    if (m) layers.setRepeat(m, null);
  });
  loadPage(mine, s, lonLat, 0);
}

async function loadPage(mine, s, lonLat, offset) {
  const box = $('point-more-box');
  box.textContent = 'Loading…';
  let ans;
  try {
    ans = await api.json(api.atURL(s, lonLat, PAGE, offset));
  } catch (err) {
    if (mine === gen) box.innerHTML = `<span class="error-text" role="alert">${escapeHTML(err.words ? err.words() : String(err))}</span>`;
    return;
  }
  if (mine !== gen) return;
  $('point-list').insertAdjacentHTML('beforeend', ans.features.map((x) => incidentItem(x.properties)).join(''));
  const shown = offset + ans.features.length;
  box.replaceChildren();
  if (shown < ans.numberMatched) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'small';
    b.dataset.testid = 'point-more';
    b.textContent = `Show the next ${int(Math.min(PAGE, ans.numberMatched - shown))} (${int(shown)} of ${int(ans.numberMatched)} shown)`;
    b.addEventListener('click', () => loadPage(mine, s, lonLat, shown));
    box.append(b);
  } else {
    box.textContent = `All ${int(ans.numberMatched)} listed.`;
  }
}
