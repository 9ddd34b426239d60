// The target areas' markup: the side panel's section, the form for a new
// area and an area's details. Every text from the server or the planner
// is escaped.

import { escapeHTML } from './format.js';

const opt = (v, t, sel) => `<option value="${escapeHTML(v)}"${sel ? ' selected' : ''}>${escapeHTML(t)}</option>`;

/** sectionHTML is the side panel's section; tools only for analysts. */
export function sectionHTML(analyst) {
  const tools = analyst ? `
  <div class="area-tools">
    <button type="button" id="ta-draw" data-testid="ta-draw">Draw an area</button>
    <button type="button" id="ta-pick" data-testid="ta-pick" aria-pressed="false">Choose hexagons</button>
    <button type="button" id="ta-make" data-testid="ta-make" disabled>Make area</button>
  </div>
  <p id="ta-hint" class="help" role="status" aria-live="polite"></p>
  <form id="ta-form" class="area-form" data-testid="ta-form" hidden></form>` : '';
  return `
  <h2 id="ta-title">Target areas</h2>
  <label class="check"><input type="checkbox" id="ta-show" data-testid="ta-show" checked> Show target areas on the map</label>
  <ol id="ta-list" class="picks" data-testid="ta-list"><li class="muted">Loading…</li></ol>${tools}`;
}

/** formHTML asks for a new area's name, priority, start and actions. */
export function formHTML(priorities, months, current) {
  // The first month has no "before" to compare with.
  const starts = months.slice(1).reverse();
  return `
  <label for="ta-name">Name</label>
  <input id="ta-name" data-testid="ta-name" required maxlength="200">
  <label for="ta-priority">Priority</label>
  <select id="ta-priority" data-testid="ta-priority">${priorities.map((p) => opt(p.id, p.name, p.id === current)).join('')}</select>
  <label for="ta-start">Action started</label>
  <select id="ta-start" data-testid="ta-start">${starts.map((m) => opt(m, m, false)).join('')}</select>
  <label for="ta-actions">What was done</label>
  <textarea id="ta-actions" data-testid="ta-actions" rows="3" maxlength="4000"></textarea>
  <p id="ta-error" class="error-text" role="alert" hidden></p>
  <button type="submit" data-testid="ta-save">Save area</button>
  <button type="button" id="ta-cancel">Cancel</button>`;
}

/** areaHTML is an area's details, with the evaluation's controls. */
export function areaHTML(p, wards, others, control, analyst) {
  const wardOpts = wards.map((w) => opt(w.properties.code, `Ward: ${w.properties.name}`, w.properties.code === control)).join('');
  const areaOpts = others.map((a) => opt(a.properties.id, `Area: ${a.properties.name}`, false)).join('');
  return `
  <p class="details-subject">${escapeHTML(p.priority)} from ${escapeHTML(p.start)}</p>
  <p>${escapeHTML(p.actions || 'No actions recorded.')}</p>
  <div class="area-eval-controls">
    <label for="ta-control">Control</label>
    <select id="ta-control" data-testid="ta-control">${opt('', 'Choose…', !control)}${wardOpts}${areaOpts}</select>
    <label for="ta-buffer">Buffer (m)</label>
    <input id="ta-buffer" data-testid="ta-buffer" type="number" min="0" max="2000" step="50" value="250">
  </div>
  <div id="ta-eval" class="area-eval" data-testid="area-eval" aria-live="polite"></div>
  ${analyst ? '<button type="button" id="ta-delete" data-testid="ta-delete">Remove this area</button>' : ''}`;
}
