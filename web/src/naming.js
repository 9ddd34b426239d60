// How hot spots, repeat locations, outcomes and rates are put into words,
// so that the lists, details panel and print sheet say the same thing.
// Pure functions (no DOM, no state): the unit tests call them directly.

import { int, monthRange } from './format.js';

/** What the study toggle means, shown beside it. */
export const STUDY_NOTE = 'Only hexagons holding a police.uk map point: empty streets and parks can’t lower the average or make a neighbour hot.';

/** Said of a hot cell without incidents, wherever it is listed or opened. */
export const EMPTY_HOT_WORDS = 'Hot because its neighbours are busy — no incident recorded in this hexagon';

/**
 * Beside every rate: rates are per resident, and the city centre's
 * residents are few compared with the people who pass through it.
 */
export const RATE_NOTE = 'Rates are per 1,000 residents. The city centre has few residents, so its rate overstates risk compared with wards where people live.';

/**
 * isEmptyHot says whether a hex cell is significant only through its
 * neighbours: Gi* sums the neighbourhood, so a cell with no incident
 * beside busy ones can come out hot. The map hatches these cells
 * (layers.HATCH_FILTER is the same test).
 */
export function isEmptyHot(p) {
  return p.gi_bin > 0 && p.count === 0;
}

// police.uk prefixes every location with these words; the names here
// strip them once and put them back once, so that a location already
// spelt with them never reads "On or near On or near …".
const NEAR = /^\s*on or near\s+/i;

/** streetOf is a police.uk location without its "On or near " prefix. */
export function streetOf(location) {
  return String(location ?? '').replace(NEAR, '').trim();
}

/**
 * placeName names a place as a planner briefs it: "On or near Granby
 * Street, Castle" (the location, then the ward), "On or near Granby
 * Street" outside the wards, and '' without a location.
 */
export function placeName(location, ward) {
  const street = streetOf(location);
  if (!street) return '';
  return ward ? `On or near ${street}, ${ward}` : `On or near ${street}`;
}

/**
 * hotspotName names a cell by the police.uk location most of its incidents
 * carry and the ward of its centre ("On or near Granby Street, Castle");
 * without a location (no incident, or an older server) it is `fallback`,
 * the name the place showing it used before.
 */
export function hotspotName(p, ward, fallback) {
  return placeName(p.top_location, ward) || fallback;
}

/**
 * rankHotspots orders hot cells for the top list: cells with incidents
 * first (a patrol can go to a cell where crime was recorded), then by
 * significance, z-score and count. Empty hot cells come after, labelled.
 */
export function rankHotspots(features, n = 10) {
  return features
    .filter((f) => f.properties.gi_bin > 0)
    .sort((a, b) => {
      const pa = a.properties, pb = b.properties;
      return Number(isEmptyHot(pa)) - Number(isEmptyHot(pb)) || pb.gi_bin - pa.gi_bin || (pb.gi_z ?? 0) - (pa.gi_z ?? 0) || pb.count - pa.count;
    })
    .slice(0, n);
}

/** incidents counts incidents in words: "1 incident", "1,200 incidents". */
export function incidents(n) {
  // null: a count withheld from a partner key (its legend says how small).
  if (n == null) return 'a few incidents (count withheld)';
  return `${int(n)} incident${n === 1 ? '' : 's'}`;
}

/**
 * offenceWords names n incidents of the filters in a sentence: "184
 * shoplifting offences", "3 anti-social behaviour incidents". A priority
 * of one crime type is named by it; of several, by the priority's name.
 */
export function offenceWords(s, priorities, n) {
  let cats = [];
  let name = '';
  if (s.priority) {
    const p = priorities.find((x) => x.id === s.priority);
    cats = p?.categories ?? [];
    name = p?.name ?? s.priority;
  } else if (s.category) {
    cats = [s.category];
  }
  const one = n === 1;
  if (cats.length === 1) return `${int(n)} ${categoryNoun(cats[0], one)}`;
  if (name) return `${int(n)} ${lowerFirst(name)} incident${one ? '' : 's'}`;
  return `${int(n)} incident${one ? '' : 's'} (all crime types)`;
}

function categoryNoun(cat, one) {
  const c = lowerFirst(cat);
  // ASB is not an offence; "violence and sexual offences" already says it.
  if (/behaviour$/i.test(c)) return `${c} incident${one ? '' : 's'}`;
  if (/offences$/i.test(c)) return one ? `${c.replace(/offences$/, 'offence')}` : c;
  return `${c} offence${one ? '' : 's'}`;
}

function lowerFirst(s) {
  // Keep acronyms ("ASB") as they are.
  return /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

/** repeatCount says what a repeat location's count is: "184 shoplifting
 * offences, Jan 2024 – Oct 2024". */
export function repeatCount(p, s, priorities) {
  return `${offenceWords(s, priorities, p.count)}, ${monthRange(s.from, s.to)}`;
}

/**
 * repeatLine is a repeat location in one line: "On or near Supermarket —
 * 184 shoplifting offences, Jan 2024 – Oct 2024".
 */
export function repeatLine(p, s, priorities) {
  return `${p.location} — ${repeatCount(p, s, priorities)}`;
}

/** outcomeWords says what a repeat location's top_outcome is. */
export function outcomeWords(top) {
  return top ? `Most frequent last outcome: ${top}` : 'No outcome recorded';
}

/**
 * outcomeRows are the top n last outcomes with their share of all the
 * incidents counted, and what the rest add up to (so the rows and the
 * remainder always account for every incident).
 */
export function outcomeRows(outcomes, n = 5) {
  const total = outcomes.reduce((a, o) => a + o.count, 0);
  const pct = (c) => (total ? (c / total) * 100 : 0);
  const rows = outcomes.slice(0, n).map((o) => ({ outcome: o.outcome, count: o.count, pct: pct(o.count) }));
  const restList = outcomes.slice(n);
  const restCount = restList.reduce((a, o) => a + o.count, 0);
  const rest = restList.length ? { outcomes: restList.length, count: restCount, pct: pct(restCount) } : null;
  return { total, rows, rest };
}

/** percent spells a share for the outcome table ("< 1 %" rather than "0 %"). */
export function percent(p) {
  if (p > 0 && p < 1) return '< 1 %';
  return `${Math.round(p)} %`;
}

/**
 * methodWords says how a hex answer's significance was found, from its
 * `hotspot` member: "Gi* over k = 1 ring (≈ 350 m), permutation test
 * (9,999 draws), FDR-corrected".
 */
export function methodWords(h) {
  if (!h || h.k == null) return '';
  const rings = `k = ${h.k} ring${h.k === 1 ? '' : 's'}${h.k_metres ? ` (≈ ${h.k_metres.toLocaleString('en-GB')} m)` : ''}${h.k_auto ? ', chosen where clustering peaks' : ''}`;
  const test = h.inference === 'permutation'
    ? `permutation test (${(h.permutations ?? 0).toLocaleString('en-GB')} draws)`
    : 'normal approximation';
  return `Gi* over ${rings}, ${test}, false-discovery-rate corrected.`;
}
