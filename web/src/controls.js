// The filter form (priority or crime type, months, layer, grid) and the
// large-text switch: built from the server's meta, so that only what the
// data hold can be chosen, and kept in step with the view state and URL.

import * as store from './state/store.js';
import { writeURL, HEX_LAYERS, GRID_LAYERS } from './state/url.js';
import * as layers from './layers.js';
import { month } from './format.js';
import { showNotice } from './status.js';
import { refresh } from './refresh.js';
import { STUDY_NOTE } from './naming.js';
import { buildSources, syncSources, fixedPatch } from './sources.js';

const $ = (id) => document.getElementById(id);

const FILTERS = ['priority', 'from', 'to', 'layer', 'res', 'k', 'study', 'inference', 'compare'];
// Roughly the area of one H3 cell at each resolution, for the size list.
const CELL_AREA = { 6: '36 km²', 7: '5 km²', 8: '0.7 km²', 9: '0.1 km²', 10: '0.015 km²' };

export function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

/** buildControls fills the form from the meta and priorities, and enables it. */
export function buildControls() {
  const m = store.meta();
  const pr = $('priority');
  pr.replaceChildren(option('', 'All crime types'));
  const g1 = document.createElement('optgroup');
  g1.label = 'Partnership priorities';
  for (const p of store.priorities()) g1.append(option(p.id, p.name));
  // meta lists police.uk's crime types, then the categories only local
  // sources have (local_categories, to a key that may see them): those
  // go in a group of their own.
  const local = new Set(m.local_categories ?? []);
  const g2 = document.createElement('optgroup');
  g2.label = 'Crime types';
  const g3 = document.createElement('optgroup');
  g3.label = 'Partner record types';
  for (const c of m.categories) (local.has(c) ? g3 : g2).append(option(`category:${c}`, c));
  pr.append(g1, g2);
  if (g3.children.length) pr.append(g3);

  for (const id of ['from', 'to']) $(id).replaceChildren(...m.months.map((v) => option(v, month(v))));
  const res = [];
  for (let r = m.res.min; r <= m.res.max; r++) res.push(option(String(r), `${r} (${CELL_AREA[r] ?? ''} cells)`.replace(' ( cells)', '')));
  $('res').replaceChildren(...res);
  const ks = [];
  for (let k = m.k.min; k <= m.k.max; k++) ks.push(option(String(k), `${k} ring${k > 1 ? 's' : ''}`));
  $('k').replaceChildren(...ks);
  $('study-help').textContent = STUDY_NOTE;
  $('inference').replaceChildren(
    option('auto', 'By hexagon size'),
    option('normal', 'Normal approximation'),
    option('permutation', 'Permutation test (exact)'),
  );

  buildSources();
  syncControls();
  for (const id of FILTERS) {
    $(id).disabled = false;
    $(id).addEventListener('change', onControl);
  }
  $('text-size').addEventListener('click', () => {
    const s = store.updateState({ largeText: !store.state().largeText });
    setLargeText(s.largeText);
    writeURL(s);
  });
}

/**
 * wireStreets shows the "Streets" switch when the map has a basemap, and
 * makes it show or hide the basemap (kept in the link as streets=off).
 */
export function wireStreets(hasBasemap) {
  $('streets-field').hidden = !hasBasemap;
  if (!hasBasemap) return;
  $('streets').checked = store.state().streets !== false;
  $('streets').addEventListener('change', (e) => {
    const s = store.updateState({ streets: e.target.checked });
    writeURL(s);
    const map = store.map();
    if (map) layers.setBasemapVisible(map, s.streets);
  });
}

/** syncControls shows the view state in the form. */
export function syncControls() {
  const s = store.state();
  $('priority').value = s.priority || (s.category ? `category:${s.category}` : '');
  $('from').value = s.from;
  $('to').value = s.to;
  $('layer').value = s.layer;
  $('res').value = String(s.res);
  $('k').value = String(s.k);
  $('study').checked = s.study === 'points';
  $('inference').value = s.inference;
  $('compare').value = s.compare;
  $('compare').closest('.field').classList.toggle('inactive', s.layer !== 'change' && s.layer !== 'wards-change');
  for (const id of ['res', 'k']) $(id).closest('.field').classList.toggle('inactive', !GRID_LAYERS.has(s.layer));
  for (const id of ['study', 'inference']) $(id).closest('.field').classList.toggle('inactive', !HEX_LAYERS.has(s.layer));
  syncSources();
}

/** onControl applies a change of one filter, then reloads the view. */
export function onControl(e) {
  // The study switch is a checkbox: its value is whether it is ticked.
  const value = e.target.type === 'checkbox' ? (e.target.checked ? 'points' : 'area') : e.target.value;
  const { patch, notice } = changeOf(e.target.id, value, store.state());
  if (notice) showNotice(notice);
  const s = store.updateState(patch);
  syncControls();
  writeURL(s);
  refresh();
}

/**
 * changeOf is what choosing value in control id changes in state s, and
 * what the planner is told when a month had to move with it (a range
 * must not run backwards).
 */
export function changeOf(id, value, s) {
  switch (id) {
    case 'priority': {
      const cat = value.startsWith('category:');
      // A priority may fix the partner-record filters: they follow it.
      return { patch: { priority: cat ? '' : value, category: cat ? value.slice('category:'.length) : '', ...(cat ? {} : fixedPatch(value)) } };
    }
    case 'from':
      if (value > s.to) return { patch: { from: value, to: value }, notice: `The end month was moved to ${month(value)} to follow the start month.` };
      return { patch: { from: value } };
    case 'to':
      if (value < s.from) return { patch: { to: value, from: value }, notice: `The start month was moved to ${month(value)} to come before the end month.` };
      return { patch: { to: value } };
    case 'layer':
    case 'study':
    case 'inference':
    case 'compare':
      return { patch: { [id]: value } };
    case 'res':
    case 'k':
      return { patch: { [id]: Number(value) } };
  }
  return { patch: {} };
}

/** setLargeText switches the page and the map's labels to projector size. */
export function setLargeText(on) {
  document.documentElement.classList.toggle('large-text', on);
  $('text-size').setAttribute('aria-pressed', String(on));
  const map = store.map();
  if (map?.loaded()) layers.setLargeText(map, on);
}
