// How the forecast and its backtest are put into words: what the target
// cells are, how that choice has done, and how last months' hot spots
// caught the latest month. Pure functions (no DOM, no state): the unit
// tests call them directly.

import { int, month, monthRange, addMonths } from './format.js';

/** What a planner must not read into a target cell. */
export const FORECAST_NOTE = 'A target cell is a ranking by past incidents, not a Gi* hot spot: it says where crime keeps happening, not that the place is statistically unusual.';

const METHOD_WORDS = {
  counts: 'incident count',
  recency: 'incident count with recent months weighing more',
  gi: 'Gi* z-score',
  kde: 'smoothed incident density',
};

/** methodName names a ranking in a sentence. */
export function methodName(m) {
  return METHOD_WORDS[m] ?? m;
}

/** share writes a fraction (0.902) as a whole percent ("90 %"). */
export function share(f) {
  return f == null ? '–' : `${Math.round(f * 100)} %`;
}

const one = (f) => (f == null ? '–' : f.toFixed(1));

/**
 * forecastSummary says which cells the forecast answer h (its hotspot
 * member) targets and how that choice has done over the months it was
 * backtested; n is the number of target cells.
 */
export function forecastSummary(h, n) {
  const what = `The ${int(n)} hexagon${n === 1 ? '' : 's'} (${h.coverage} % of ${int(h.cells)}${h.scored_cells != null && n < Math.ceil((h.coverage * h.cells) / 100) ? `; only ${int(h.scored_cells)} scored above 0` : ''}) ranked highest by ${methodName(h.method)} over ${monthRange(h.from, h.to)}`;
  const chosen = h.method_auto ? ' (the ranking that has predicted best here)' : '';
  if (!h.backtest_from || h.pei == null) {
    return `${what}${chosen}. There are too few months before them to check how well this ranking predicts.`;
  }
  return `${what}${chosen}. Over ${monthRange(h.backtest_from, h.backtest_to)}, the same choice made each month caught ` +
    `${share(h.pei)} of what the best ${h.coverage} % of hexagons could have caught the month after ` +
    `(${one(h.pai)} times their share of the area).`;
}

/**
 * giComparison says how Gi* hot spots did as targets beside the chosen
 * method, from the candidates of an auto forecast; '' when Gi* was chosen
 * or not compared.
 */
export function giComparison(h) {
  const gi = (h.candidates ?? []).find((c) => c.method === 'gi');
  if (!gi || h.method === 'gi' || gi.pei == null) return '';
  return `Targeting the Gi* hot spots instead would have caught ${share(gi.pei)} (${one(gi.pai)} times their share).`;
}

/**
 * backtestCheck says, from a backtest answer with one test month, how
 * the top hexagons of the months before caught it: by counts and by Gi*.
 */
export function backtestCheck(b) {
  const rows = b.rows ?? [];
  const counts = rows.find((r) => r.method === 'counts');
  if (!counts) return '';
  const gi = rows.find((r) => r.method === 'gi');
  const h = b.hotspot;
  const before = monthRange(addMonths(h.from, -h.train), addMonths(h.from, -1));
  if (counts.incidents === 0) return `${month(counts.month)} has no incidents to check against.`;
  let s = `Check on ${month(counts.month)}: the ${int(counts.selected)} busiest hexagons of ${before} caught ` +
    `${int(counts.hits)} of its ${int(counts.incidents)} incidents (${share(counts.hits / counts.incidents)})`;
  if (gi) s += `; the ${int(gi.selected)} strongest Gi* hot spots caught ${int(gi.hits)} (${share(gi.hits / gi.incidents)})`;
  return s + '.';
}

/**
 * targetLine is a forecast target's line in the panel: its rank and its
 * count over the window; a count withheld from a partner key in words
 * (never "null"), a target without incidents said plainly (kde and gi
 * rank cells by their neighbours too).
 */
export function targetLine(p, months, below) {
  const span = `${int(months)} month${months === 1 ? '' : 's'}`;
  let what;
  if (p.suppressed === true || p.count == null) what = `fewer than ${int(below ?? 5)} (withheld) incidents`;
  else if (p.count === 0) return `Target ${p.rank} · no incident in ${span}: a target for the incidents around it`;
  else what = `${int(p.count)} incident${p.count === 1 ? '' : 's'}`;
  return `Target ${p.rank} · ${what} in ${span}`;
}
