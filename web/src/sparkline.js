// A monthly sparkline as inline SVG: no chart library, prints crisply, and
// carries its numbers as text for screen readers.

import { month, int, escapeHTML } from './format.js';

/**
 * sparkline draws counts per month. Months before `from` (the previous
 * period, for comparison) are drawn lighter and dashed.
 */
export function sparkline(series, from, { width = 260, height = 64 } = {}) {
  if (series.length === 0) return '<p class="muted">No monthly figures.</p>';
  const pad = { l: 4, r: 4, t: 6, b: 16 };
  const max = Math.max(1, ...series.map((p) => p.count));
  const w = width - pad.l - pad.r, h = height - pad.t - pad.b;
  const x = (i) => pad.l + (series.length === 1 ? w / 2 : (i * w) / (series.length - 1));
  const y = (c) => pad.t + h - (c / max) * h;
  const pts = series.map((p, i) => [x(i), y(p.count), p]);
  const split = series.findIndex((p) => p.month >= from);
  const prev = split > 0 ? pts.slice(0, split + 1) : [];
  const cur = split >= 0 ? pts.slice(split) : pts;
  const line = (ps) => ps.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ');
  const peak = pts.reduce((a, b) => (b[2].count > a[2].count ? b : a));
  const desc = series.map((p) => `${month(p.month)}: ${p.count}`).join('; ');
  return `<svg class="sparkline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Incidents per month. ${escapeHTML(desc)}">
    <title>${escapeHTML(desc)}</title>
    ${prev.length > 1 ? `<polyline points="${line(prev)}" class="prev"/>` : ''}
    <polyline points="${line(cur)}" class="cur"/>
    ${cur.map(([a, b]) => `<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="1.8"/>`).join('')}
    <text x="${peak[0].toFixed(1)}" y="${Math.max(9, peak[1] - 2).toFixed(1)}" text-anchor="middle" class="peak">${int(peak[2].count)}</text>
    <text x="${pad.l}" y="${height - 3}" class="axis">${escapeHTML(month(series[0].month))}</text>
    <text x="${width - pad.r}" y="${height - 3}" text-anchor="end" class="axis">${escapeHTML(month(series[series.length - 1].month))}</text>
  </svg>`;
}
