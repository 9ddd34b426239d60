// The evaluation of a target area as a small bar chart: incidents before
// and after the start in the area (T), its buffer (D) and the control
// (C), on one scale, each bar with its number.

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

/** barChart returns an SVG of T, D and C before against after. */
export function barChart(ev) {
  const groups = [
    ['Area (T)', ev.t_before, ev.t_after],
    [`Buffer ${ev.buffer} m (D)`, ev.d_before, ev.d_after],
    ['Control (C)', ev.c_before, ev.c_after],
  ];
  const W = 300, H = 150, base = 118, top = 18, bw = 26;
  const most = Math.max(1, ...groups.flatMap((g) => [g[1], g[2]]));
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'area-chart',
    'aria-label': groups.map(([n, b, a]) => `${n}: ${b} before, ${a} after`).join('; ') });
  svg.appendChild(el('line', { x1: 0, x2: W, y1: base, y2: base, stroke: '#666' }));
  groups.forEach(([name, before, after], i) => {
    const x0 = 20 + i * 95;
    [[before, '#bdbdbd', 'before'], [after, '#7a0177', 'after']].forEach(([v, fill], j) => {
      const h = ((base - top) * v) / most;
      const x = x0 + j * (bw + 4);
      svg.appendChild(el('rect', { x, y: base - h, width: bw, height: h, fill }));
      svg.appendChild(el('text', { x: x + bw / 2, y: base - h - 3, 'text-anchor': 'middle', 'font-size': 11 }, v));
    });
    svg.appendChild(el('text', { x: x0 + bw + 2, y: base + 14, 'text-anchor': 'middle', 'font-size': 11 }, name));
  });
  svg.appendChild(el('text', { x: 2, y: H - 2, 'font-size': 10, fill: '#555' }, 'grey: before · purple: after'));
  return svg;
}

const fmt = (v, d = 2) => (v == null ? 'n/a' : Number(v).toFixed(d));

/** figures is the evaluation's statistics as a short table's rows. */
export function figures(ev) {
  return [
    ['Months', `${ev.before.from} – ${ev.before.to} against ${ev.after.from} – ${ev.after.to}${ev.after.complete ? '' : ' (after: not all in the data yet)'}`],
    ['Control', `${ev.control.kind} ${ev.control.name || ev.control.code}`],
    ['WDD (se)', `${fmt(ev.wdd, 0)} (${fmt(ev.wdd_se, 1)})`],
    ['z, p', `${fmt(ev.wdd_z)}, ${fmt(ev.wdd_p, 3)}`],
    ['WDQ', fmt(ev.wdq)],
  ];
}
