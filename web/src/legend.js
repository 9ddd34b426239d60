// The legend: what the colours mean, for which filters. It is rendered
// from the same model as the map paint (layers.classify) and copied into
// the print sheet.

import { escapeHTML, int } from './format.js';

/**
 * renderLegend fills `el` with the model's entries. `subject` names the
 * filters (priority or crime type, months, resolution), so that a
 * screenshot or printout always says what it shows.
 */
export function renderLegend(el, model, subject) {
  const rows = model.classes.map((c) => {
    const swatch = c.shape
      ? `<span class="swatch ${c.shape}" style="--c:${c.color}" aria-hidden="true"></span>`
      : `<span class="swatch" style="background:${c.color}" aria-hidden="true"></span>`;
    const n = c.n == null ? '' : `<span class="n">${int(c.n)} ${c.n === 1 ? c.unit.replace(/s$/, '') : c.unit}</span>`;
    return `<li>${swatch}<span class="label">${escapeHTML(c.label)}</span>${n}</li>`;
  }).join('');
  el.innerHTML = `
    <h2 id="legend-title">${escapeHTML(model.title)}</h2>
    <p class="legend-subject" data-testid="legend-subject">${escapeHTML(subject)}</p>
    <ul class="legend-classes">${rows}</ul>
    ${model.warning ? `<p class="legend-warning" role="note">${escapeHTML(model.warning)}</p>` : ''}
    ${model.method ? `<p class="legend-note" data-testid="legend-method">${escapeHTML(model.method)}</p>` : ''}
    ${model.note ? `<p class="legend-note">${escapeHTML(model.note)}</p>` : ''}
    <p class="legend-note"><span class="swatch ward-outline" aria-hidden="true"></span> Ward boundary</p>`;
}
