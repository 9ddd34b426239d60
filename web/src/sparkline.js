// A monthly sparkline as inline SVG: no chart library, prints crisply, and
// carries its numbers as text for screen readers.

import { month, int, escapeHTML } from './format.js';

/**
 * sparkline draws counts per month. Months before `from` (the previous
 * period, for comparison) are drawn lighter and dashed. A month whose
 * count was withheld from a partner key (null) breaks the line and is
 * marked grey at the foot: it is not a zero.
 */
export function sparkline(series, from, { width = 260, height = 64 } = {}) {
  if (series.length === 0) return '<p class="muted">No monthly figures.</p>';
  const pad = { l: 4, r: 4, t: 6, b: 16 };
  const max = Math.max(1, ...series.map((p) => p.count ?? 0));
  const w = width - pad.l - pad.r, h = height - pad.t - pad.b;
  const x = (i) => pad.l + (series.length === 1 ? w / 2 : (i * w) / (series.length - 1));
  const y = (c) => pad.t + h - (c / max) * h;
  const pts = series.map((p, i) => [x(i), y(p.count), p]);
  const split = series.findIndex((p) => p.month >= from);
  const prev = split > 0 ? pts.slice(0, split + 1) : [];
  const cur = split >= 0 ? pts.slice(split) : pts;
  const line = (ps) => ps.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ');
  const lines = (ps, cls) => runs(ps).map((r) => `<polyline points="${line(r)}" class="${cls}"/>`).join('');
  const peak = pts.reduce((a, b) => ((b[2].count ?? -1) > (a[2].count ?? -1) ? b : a));
  const desc = series.map((p) => `${month(p.month)}: ${p.count ?? 'withheld'}`).join('; ');
  const shown = cur.filter((p) => p[2].count != null);
  const withheld = pts.filter((p) => p[2].count == null);
  return `<svg class="sparkline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Incidents per month. ${escapeHTML(desc)}">
    <title>${escapeHTML(desc)}</title>
    ${lines(prev, 'prev')}
    ${lines(cur, 'cur')}
    ${shown.map(([a, b]) => `<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="1.8"/>`).join('')}
    ${withheld.map(([a]) => `<rect class="withheld" x="${(a - 2).toFixed(1)}" y="${pad.t + h - 4}" width="4" height="4"/>`).join('')}
    <text x="${peak[0].toFixed(1)}" y="${Math.max(9, peak[1] - 2).toFixed(1)}" text-anchor="middle" class="peak">${int(peak[2].count)}</text>
    <text x="${pad.l}" y="${height - 3}" class="axis">${escapeHTML(month(series[0].month))}</text>
    <text x="${width - pad.r}" y="${height - 3}" text-anchor="end" class="axis">${escapeHTML(month(series[series.length - 1].month))}</text>
  </svg>`;
}

/** runs splits points at withheld months: the line has no value to pass through. */
function runs(ps) {
  const out = [[]];
  for (const p of ps) {
    if (p[2].count == null) out.push([]);
    else out[out.length - 1].push(p);
  }
  return out.filter((r) => r.length > 1);
}
