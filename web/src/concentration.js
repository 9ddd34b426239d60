// "How concentrated": the share of hexagons holding half and 80 % of the
// incidents, and a small Lorenz curve, from /api/v1/concentration at the
// map's resolution. Like the repeat list it has its own request, so the
// map never waits for it.

import { partnerLocal } from './state/local.js';
import * as api from './api.js';
import { escapeHTML, int } from './format.js';

const $ = (id) => document.getElementById(id);

const nf1 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** sharePct spells a share (0–1) of the area as a percentage. */
export function sharePct(x) {
  // A no-break space, so that a narrow panel does not wrap "1.4 / %".
  if (x > 0 && x < 0.001) return '< 0.1\u00a0%';
  return `${nf1.format(x * 100)}\u00a0%`;
}

/**
 * concentrationWords says, for a meeting, how much of the problem lies in
 * how little of the area ("Half of the 3,252 incidents happened in 1.4 %
 * of the area: 11 of its 778 hexagons").
 */
export function concentrationWords(c) {
  if (!c || c.incidents === 0 || c.cells_for_50pct == null) return 'No incidents to measure for these filters.';
  const cells = (n) => `${int(n)} ${n === 1 ? 'hexagon' : 'hexagons'}`;
  return `Half of the ${int(c.incidents)} incidents happened in ${sharePct(c.share_for_50pct)} of the area: ` +
    `${cells(c.cells_for_50pct)} of its ${int(c.cells)}. 80 % happened in ${sharePct(c.share_for_80pct)} (${cells(c.cells_for_80pct)}). ` +
    `Gini ${c.gini.toFixed(2)} (0: spread evenly; near 1: all in one place).`;
}

/**
 * lorenzSVG draws the curve (busiest hexagons first) over the line of
 * equality, in a 100 × 100 box that the page scales.
 */
export function lorenzSVG(points) {
  if (!points?.length) return '';
  const xy = points.map(([x, y]) => `${(x * 100).toFixed(2)},${(100 - y * 100).toFixed(2)}`).join(' ');
  return `<svg class="lorenz" viewBox="0 0 100 100" preserveAspectRatio="none" role="img" aria-label="Share of incidents against share of hexagons, busiest first">` +
    '<path class="lorenz-frame" d="M0,0V100H100" vector-effect="non-scaling-stroke"/>' +
    '<path class="lorenz-equal" d="M0,100L100,0" vector-effect="non-scaling-stroke"/>' +
    `<polyline class="lorenz-curve" points="${xy}" vector-effect="non-scaling-stroke"/></svg>`;
}

let loadedURL = '';

/**
 * loadConcentration asks for the concentration of state s, once ready has
 * settled, and shows it, unless current() says the filters have changed
 * meanwhile.
 */
export async function loadConcentration(s, current, ready = Promise.resolve()) {
  if (partnerLocal(s, document.body.dataset.role)) {
    // A curve of small counts has no disclosure control: the API refuses it.
    loadedURL = '';
    $('concentration-text').textContent = 'The concentration of partner records needs an analyst key: its curve would show counts too small to share.';
    $('lorenz').innerHTML = '';
    return;
  }
  const u = api.concentrationURL(s);
  if (u === loadedURL) return;
  loadedURL = u;
  $('concentration-text').textContent = 'Loading…';
  $('lorenz').innerHTML = '';
  try {
    await ready;
    if (!current()) {
      // A newer state may have asked meanwhile: its URL stays.
      if (loadedURL === u) loadedURL = '';
      return;
    }
    const c = await api.json(u);
    if (!current()) return;
    $('concentration-text').textContent = concentrationWords(c);
    $('lorenz').innerHTML = lorenzSVG(c.lorenz);
  } catch (err) {
    if (!current()) return;
    loadedURL = '';
    $('concentration-text').innerHTML = `<span class="error-text" role="alert">${escapeHTML(err.words ? err.words() : String(err))}</span>`;
  }
}
