// A cell's monthly Gi* bins as a strip of squares, oldest first: the
// emerging hot spot layer's evidence at a glance, inline SVG like the
// sparkline, with the months and bins as text for screen readers.

import * as palette from './palette.js';
import { month, addMonths, escapeHTML } from './format.js';

const BIN_WORDS = {
  3: 'hot, 99 %', 2: 'hot, 95 %', 1: 'hot, 90 %', 0: 'not significant',
  '-1': 'cold, 90 %', '-2': 'cold, 95 %', '-3': 'cold, 99 %',
};

/**
 * binStrip draws bins (−3…3, oldest first) of the months from `from` on.
 * Hot and cold months (|bin| ≥ 2, which the patterns count) carry a
 * mark beneath, so that they read without colour.
 */
export function binStrip(bins, from, { width = 260 } = {}) {
  if (!bins?.length) return '<p class="muted">No monthly bins.</p>';
  const n = bins.length;
  const gap = 1;
  const size = Math.max(4, Math.min(16, Math.floor((width - gap * (n - 1)) / n)));
  const w = n * size + (n - 1) * gap;
  const height = size + 20;
  const desc = bins.map((b, i) => `${month(addMonths(from, i))}: ${BIN_WORDS[b] ?? b}`).join('; ');
  const cells = bins.map((b, i) => {
    const x = i * (size + gap);
    const mark = Math.abs(b) >= 2 ? `<rect x="${x}" y="${size + 2}" width="${size}" height="2" class="${b > 0 ? 'hot' : 'cold'}"/>` : '';
    return `<rect x="${x}" y="0" width="${size}" height="${size}" fill="${palette.GI[b] ?? palette.NO_DATA}"><title>${escapeHTML(`${month(addMonths(from, i))}: ${BIN_WORDS[b] ?? b}`)}</title></rect>${mark}`;
  }).join('');
  return `<svg class="bin-strip" viewBox="0 0 ${w} ${height}" width="${w}" height="${height}" role="img" aria-label="Gi* bin per month. ${escapeHTML(desc)}" data-testid="bin-strip">
    ${cells}
    <text x="0" y="${height - 2}" class="axis">${escapeHTML(month(from))}</text>
    <text x="${w}" y="${height - 2}" text-anchor="end" class="axis">${escapeHTML(month(addMonths(from, n - 1)))}</text>
  </svg>`;
}
