// CSV files the map writes itself, from answers it already holds (the
// repeat lists have no CSV form in the API). Text a spreadsheet would run
// as a formula (a cell starting with = + - @, a tab or a carriage return)
// is prefixed with ', as the server's own CSV does (DESIGN.md, "Access",
// Imports), because partner records carry names typed by anyone.

const FORMULA = /^[=+\-@\t\r]/;

/** csvCell spells one value: numbers as they are, text defused and quoted when it must be. */
export function csvCell(v) {
  if (v == null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** csvText is a header row and the rows, each ended by a line break. */
export function csvText(header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** csvName is a safe file name from its parts. */
export function csvName(...parts) {
  return `${parts.filter(Boolean).join('-')}.csv`.replace(/[^A-Za-z0-9._-]+/g, '-');
}
