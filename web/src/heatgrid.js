// The day × hour heat grid of /api/v1/temporal: 7 rows (Monday first) of
// 24 local hours, drawn as SVG with a title on every cell, and its CSV.
// Pure functions: temporal.js puts them on the page, the tests call them.

import { escapeHTML, int } from './format.js';
import { HEAT, HEAT_ZERO as ZERO } from './palette.js';

export const DAY_WORDS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const hourSpan = (h) => `${String(h).padStart(2, '0')}:00–${String(h).padStart(2, '0')}:59`;

/** heatClass is a count's colour class: five equal steps up to the peak. */
export function heatClass(n, peak) {
  if (!(n > 0) || !(peak > 0)) return -1;
  return Math.min(HEAT.length - 1, Math.floor((n * HEAT.length - 1) / peak));
}

/** cellsOf lists the grid's 168 cells: {day, hour, count, withheld}. */
export function cellsOf(t) {
  const out = [];
  for (let d = 0; d < 7; d++) {
    for (let h = 0; h < 24; h++) {
      const n = t.matrix?.[d]?.[h] ?? null;
      out.push({ day: d, hour: h, count: n, withheld: n == null && Boolean(t.suppressed?.[d]?.[h]) });
    }
  }
  return out;
}

/** heatLegend keys the classes: "lo–hi" for each class that can hold a count. */
export function heatLegend(peak) {
  const out = [];
  let lo = 0;
  HEAT.forEach((color, i) => {
    const hi = Math.floor((peak * (i + 1)) / HEAT.length);
    if (hi > lo) {
      out.push({ color, label: hi === lo + 1 ? int(hi) : `${int(lo + 1)}–${int(hi)}` });
      lo = hi;
    }
  });
  return out;
}

/** cellTitle is what a cell says on hover. */
export function cellTitle(c, below) {
  const when = `${DAY_WORDS[c.day]} ${hourSpan(c.hour)}`;
  if (c.withheld) return `${when}: fewer than ${below ?? 5} records, withheld`;
  return `${when}: ${c.count == null ? 'no answer' : `${int(c.count)} record${c.count === 1 ? '' : 's'}`}`;
}

/** heatSVG draws the grid; withheld cells are hatched, never a zero. */
export function heatSVG(t, below) {
  const cells = cellsOf(t);
  const peak = Math.max(0, ...cells.map((c) => c.count ?? 0));
  const left = 28, top = 12, w = 11, h = 14;
  const rects = cells.map((c) => {
    const cls = heatClass(c.count, peak);
    const fill = c.withheld ? 'url(#heat-withheld)' : cls < 0 ? ZERO : HEAT[cls];
    return `<rect class="heat-cell${c.withheld ? ' withheld' : ''}" data-day="${c.day}" data-hour="${c.hour}" x="${left + c.hour * w}" y="${top + c.day * h}" width="${w - 1}" height="${h - 1}" fill="${fill}"><title>${escapeHTML(cellTitle(c, below))}</title></rect>`;
  }).join('');
  const days = DAY_WORDS.map((d, i) => `<text x="${left - 3}" y="${top + i * h + h - 4}" text-anchor="end">${d}</text>`).join('');
  const hours = [0, 3, 6, 9, 12, 15, 18, 21].map((x) => `<text x="${left + x * w + w / 2}" y="${top - 3}" text-anchor="middle">${String(x).padStart(2, '0')}</text>`).join('');
  const W = left + 24 * w, H = top + 7 * h;
  return `<svg class="heat-grid" data-testid="heat-grid" viewBox="0 0 ${W} ${H}" role="img" aria-label="Records by weekday (rows, Monday first) and local hour (columns)">
<defs><pattern id="heat-withheld" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="#d9d9d9"/><line x1="0" y1="0" x2="0" y2="4" stroke="#555" stroke-width="1.2"/></pattern></defs>
${hours}${days}${rects}</svg>`;
}

/** heatCSV writes the matrix: one row per day, hours 0–23; withheld cells say so. */
export function heatCSV(t) {
  const head = ['day', ...Array.from({ length: 24 }, (_, h) => `h${String(h).padStart(2, '0')}`)].join(',');
  const rows = DAY_WORDS.map((d, i) => [d.toLowerCase(), ...Array.from({ length: 24 }, (_, h) => {
    const n = t.matrix?.[i]?.[h];
    if (n != null) return String(n);
    return t.suppressed?.[i]?.[h] ? 'withheld' : '';
  })].join(','));
  return `${head}\n${rows.join('\n')}\n`;
}
