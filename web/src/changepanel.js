// The details of a hexagon on the change layer: its two counts and, in
// words, whether the change is significant.

import { escapeHTML, int, signedPct, changeWords, monthRange, addMonths, previousPeriod } from './format.js';
import { hotspotName } from './naming.js';
import { openPanel } from './panel.js';
import * as store from './state/store.js';

const row = (label, value) => `<tr><th scope="row">${escapeHTML(label)}</th><td>${value}</td></tr>`;

/** basePeriod is the months a change is measured against. */
export function basePeriod(s) {
  if (s.compare === 'year') return { from: addMonths(s.from, -12), to: addMonths(s.to, -12) };
  return previousPeriod(s.from, s.to);
}

/** showChange opens the panel for a cell of the change layer. */
export function showChange(p, { state, ward, subject, focus }) {
  const base = basePeriod(state);
  const top = store.data().hex?.features.find((h) => h.properties.h3 === p.h3)?.properties.top_location;
  const words = changeWords(p, 'hexagon');
  const cls = p.change_bin > 0 ? 'hot' : p.change_bin < 0 ? 'cold' : '';
  openPanel(hotspotName({ top_location: top }, ward, `Hexagon in ${ward || 'no ward'}`), `
    <p class="details-subject">${escapeHTML(subject)}</p>
    <p data-testid="change-words"><strong class="sig ${cls}">${escapeHTML(words)}</strong>.</p>
    <table class="facts">
      ${row(`Incidents, ${monthRange(state.from, state.to)}`, int(p.count))}
      ${row(`Incidents, ${monthRange(base.from, base.to)}`, int(p.prev_count))}
      ${row('Change', escapeHTML(signedPct(p.change_pct) ?? 'not a percentage (none before)'))}
      ${row('Ward', escapeHTML(ward || 'outside the wards'))}
      ${row('H3 cell', `<code>${escapeHTML(p.h3)}</code>`)}
    </table>
    <p class="legend-note">An exact test of the two counts (equal lengths of time), with the false-discovery rate controlled over every hexagon of the study area.</p>`, focus);
}
