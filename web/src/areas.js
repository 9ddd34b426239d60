// Target areas in the side panel and on the map (DESIGN.md, "Target
// areas"): partners see the areas and their evaluations; analysts also
// draw new ones, by hand or from chosen hexagons, and remove them (the
// server lets only an area's owner or an admin change one). The details
// panel shows an area's evaluation as a before/after bar chart and the
// verdict in words.

import * as store from './state/store.js';
import { mapReady } from './map.js';
import { authHeaders } from './signin.js';
import { escapeHTML } from './format.js';
import { inGeometry, labelPoint } from './geo.js';
import { HEX_FILL } from './layers.js';
import { drawPolygon } from './areas-draw.js';
import { unionCells } from './areas-union.js';
import { barChart, figures } from './areas-chart.js';
import * as layer from './areas-layer.js';
import { sectionHTML, formHTML, areaHTML } from './areas-html.js';

const ROLES = ['public', 'partner', 'analyst', 'admin'];
const atLeast = (r) => ROLES.indexOf(document.body.dataset.role || 'public') >= ROLES.indexOf(r);
const $ = (id) => document.getElementById(id);

let areas = { type: 'FeatureCollection', features: [] };
let mode = ''; // '', 'draw' or 'pick'
const picked = new Map(); // h3 → hex feature
let pendingGeometry = null;

/** call asks the API and returns its JSON, or throws its error in words. */
async function call(method, url, body) {
  const headers = { ...authHeaders(), ...(body ? { 'Content-Type': 'application/geo+json' } : {}) };
  const res = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) throw new Error((data?.error || res.statusText) + (data?.param ? ` (${data.param})` : ''));
  return data;
}

/** initAreas adds the target areas for a partner key or better. */
export async function initAreas() {
  if (!atLeast('partner')) return;
  const sidebar = document.querySelector('.sidebar');
  if (!sidebar) return;
  const sec = document.createElement('section');
  sec.className = 'target-areas';
  sec.setAttribute('aria-labelledby', 'ta-title');
  sec.dataset.testid = 'target-areas';
  sec.innerHTML = sectionHTML(atLeast('analyst'));
  sidebar.appendChild(sec);
  const map = await mapReady;
  if (!map) return;
  layer.addAreaLayers(map);
  wireSection(map);
  map.on('click', layer.FILL, (e) => {
    if (!mode && e.features[0]) openArea(e.features[0].properties.id);
  });
  map.on('click', HEX_FILL, (e) => {
    if (mode === 'pick' && e.features[0]) togglePick(map, e.features[0].properties.h3);
  });
  await reload(map);
}

function wireSection(map) {
  $('ta-show').addEventListener('change', (e) => layer.showAreas(map, e.target.checked));
  if (!atLeast('analyst')) return;
  $('ta-draw').addEventListener('click', async () => {
    if (mode) return;
    mode = 'draw';
    const ring = await drawPolygon(map, (t) => { $('ta-hint').textContent = t; });
    mode = '';
    $('ta-hint').textContent = '';
    if (ring) openForm({ type: 'Polygon', coordinates: [ring] });
  });
  $('ta-pick').addEventListener('click', () => {
    mode = mode === 'pick' ? '' : 'pick';
    $('ta-pick').setAttribute('aria-pressed', String(mode === 'pick'));
    $('ta-hint').textContent = mode === 'pick' ? 'Click hexagons on the map to choose them (again to drop one), then “Make area”.' : '';
    if (!mode) clearPicks(map);
  });
  $('ta-make').addEventListener('click', () => {
    const mp = unionCells([...picked.values()].map((f) => f.geometry.coordinates[0]));
    if (!mp) return;
    openForm({ type: 'MultiPolygon', coordinates: mp });
    mode = '';
    $('ta-pick').setAttribute('aria-pressed', 'false');
    clearPicks(map);
  });
}

function togglePick(map, h3) {
  const f = store.data().hex?.features.find((h) => h.properties.h3 === h3);
  if (!f) return;
  if (picked.has(h3)) picked.delete(h3);
  else picked.set(h3, f);
  layer.setPicked(map, [...picked.values()]);
  $('ta-make').disabled = picked.size === 0;
  $('ta-make').textContent = `Make area from ${picked.size} hexagon${picked.size === 1 ? '' : 's'}`;
}

function clearPicks(map) {
  picked.clear();
  layer.setPicked(map, []);
  $('ta-make').disabled = true;
  $('ta-make').textContent = 'Make area';
  $('ta-hint').textContent = '';
}

async function reload(map) {
  try {
    areas = await call('GET', '/api/v1/target-areas');
  } catch (err) {
    $('ta-list').innerHTML = `<li class="error-text" role="alert">${escapeHTML(err.message)}</li>`;
    return;
  }
  layer.setAreas(map, areas, $('ta-show').checked);
  const list = $('ta-list');
  list.innerHTML = areas.features.length ? '' : '<li class="muted">No target areas yet.</li>';
  for (const f of areas.features) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'pick';
    b.textContent = `${f.properties.name} — ${f.properties.priority}, from ${f.properties.start}`;
    b.addEventListener('click', () => openArea(f.properties.id));
    li.appendChild(b);
    list.appendChild(li);
  }
}

function openForm(geometry) {
  pendingGeometry = geometry;
  const form = $('ta-form');
  form.innerHTML = formHTML(store.priorities(), store.meta()?.months ?? [], store.state()?.priority);
  form.hidden = false;
  $('ta-name').focus();
  $('ta-cancel').addEventListener('click', () => { form.hidden = true; pendingGeometry = null; });
  form.onsubmit = async (e) => {
    e.preventDefault();
    const properties = { name: $('ta-name').value, priority: $('ta-priority').value, start: $('ta-start').value, actions: $('ta-actions').value };
    try {
      const { id } = await call('POST', '/api/v1/target-areas', { type: 'Feature', geometry: pendingGeometry, properties });
      form.hidden = true;
      await reload(store.map());
      openArea(id);
    } catch (err) {
      $('ta-error').textContent = `Not saved: ${err.message}`;
      $('ta-error').hidden = false;
    }
  };
}

/** defaultControl is the ward the area lies in (by its label point). */
function defaultControl(f) {
  const at = labelPoint(f.geometry);
  const w = store.data().wards?.features.find((w) => at && inGeometry(at, w.geometry));
  return w?.properties.code ?? '';
}

function openArea(id) {
  const f = areas.features.find((a) => a.properties.id === id);
  if (!f) return;
  const wards = store.data().wards?.features ?? [];
  const others = areas.features.filter((a) => a.properties.id !== id);
  $('details-title').textContent = f.properties.name;
  $('details-body').innerHTML = areaHTML(f.properties, wards, others, defaultControl(f), atLeast('analyst'));
  $('details').hidden = false;
  const run = () => evaluate(id);
  $('ta-control').addEventListener('change', run);
  $('ta-buffer').addEventListener('change', run);
  $('ta-delete')?.addEventListener('click', async () => {
    if (!window.confirm(`Remove the target area “${f.properties.name}”?`)) return;
    try {
      await call('DELETE', `/api/v1/target-areas/${encodeURIComponent(id)}`);
      $('details').hidden = true;
      await reload(store.map());
    } catch (err) {
      $('ta-eval').textContent = `Not removed: ${err.message}`;
    }
  });
  run();
}

async function evaluate(id) {
  const out = $('ta-eval');
  const control = $('ta-control').value;
  if (!control) {
    out.textContent = 'Choose a control: a ward or another area like this one, where nothing was done.';
    return;
  }
  out.textContent = 'Evaluating…';
  const q = new URLSearchParams({ control, buffer: $('ta-buffer').value || '250' });
  try {
    const ev = await call('GET', `/api/v1/target-areas/${encodeURIComponent(id)}/evaluation?${q}`);
    if ($('ta-eval') !== out) return; // another area was opened meanwhile
    out.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'verdict';
    p.dataset.testid = 'area-verdict';
    p.textContent = `Against the control, the area ${ev.verdict}.`;
    out.append(p, barChart(ev));
    const table = document.createElement('table');
    table.className = 'figures';
    for (const [k, v] of figures(ev)) table.insertRow().append(Object.assign(document.createElement('th'), { textContent: k }), Object.assign(document.createElement('td'), { textContent: v }));
    out.appendChild(table);
  } catch (err) {
    out.textContent = `Cannot evaluate: ${err.message}`;
  }
}
