// Words and numbers as a planner reads them: British English, months as
// "Jan 2024", significance spelt out.

const nf = new Intl.NumberFormat('en-GB');
const nf1 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export const int = (n) => (n == null ? '–' : nf.format(n));
export const dec1 = (n) => (n == null ? '–' : nf1.format(n));

/** month turns "2024-01" into "Jan 2024". */
export function month(ym) {
  if (!ym) return '';
  const [y, m] = ym.split('-');
  return `${MONTHS[Number(m) - 1]} ${y}`;
}

/** monthRange spells a range, shortening a single month. */
export function monthRange(from, to) {
  return from === to ? month(from) : `${month(from)} – ${month(to)}`;
}

/** addMonths moves a YYYY-MM month by n months. */
export function addMonths(ym, n) {
  const [y, m] = ym.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${String(Math.floor(t / 12)).padStart(4, '0')}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** monthsBetween counts the months of an inclusive range. */
export function monthsBetween(from, to) {
  const [y1, m1] = from.split('-').map(Number);
  const [y2, m2] = to.split('-').map(Number);
  return (y2 - y1) * 12 + (m2 - m1) + 1;
}

export function signedPct(p) {
  if (p == null) return null;
  const s = nf1.format(Math.abs(p));
  return p > 0 ? `+${s} %` : p < 0 ? `−${s} %` : '0.0 %';
}

/** significance says what a Gi* bin means, in the words used in meetings. */
export function significance(bin, z) {
  if (z == null) return 'Not defined (every cell has the same count)';
  const conf = { 3: '99', 2: '95', 1: '90' }[Math.abs(bin)];
  if (!conf) return 'Not significant';
  return `${bin > 0 ? 'Hot' : 'Cold'} spot, ${conf} % confidence`;
}

/**
 * changeWords says in words whether a ward's (or cell's) change on the
 * base period is significant: change_bin is the FDR bin of the exact
 * test of count against prev_count, change_p its unadjusted p-value
 * (null when there was nothing to test or the data do not reach back).
 */
export function changeWords({ count, prev_count: prev, change_p: p, change_bin: bin }, unit = 'ward') {
  if (count + prev === 0) return 'No incidents in either period: nothing to compare';
  if (p == null) return 'Not tested: the data do not reach back over the whole period compared with';
  const conf = { 3: '99', 2: '95', 1: '90' }[Math.abs(bin ?? 0)];
  const pw = p < 0.0001 ? 'p < 0.0001' : `p = ${pValue(p)}`;
  if (!conf) return `Not significant: a change of this size could be chance (${pw})`;
  return `A significant ${bin > 0 ? 'rise' : 'fall'}, ${conf} % confidence after allowing for testing every ${unit} (${pw})`;
}

/** pValue prints small p-values readably. */
export function pValue(p) {
  if (p == null) return '–';
  if (p < 0.0001) return '< 0.0001';
  return p.toFixed(4);
}

export function zScore(z) {
  return z == null ? '–' : z.toFixed(2);
}

/** escapeHTML for the few places that build markup from data. */
export function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * previousPeriod is the comparison range of a from…to range (the same
 * number of months just before), and whether the data reach back to its
 * start: the API counts months before the data as zero, so a change
 * against a partly missing period is overstated.
 */
export function previousPeriod(from, to, firstMonth) {
  const n = monthsBetween(from, to);
  const pFrom = addMonths(from, -n), pTo = addMonths(from, -1);
  return { from: pFrom, to: pTo, complete: !firstMonth || pFrom >= firstMonth };
}
