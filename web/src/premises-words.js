// The premises register and the repeat lists in words, for the lists,
// the premises layer's key and the CSV files: kinds in plain words and
// colours, counts that say when they are withheld, shortened offender
// pseudonyms. Pure functions, tested in web/test/premises.test.mjs.

import { int, month } from './format.js';
import { PREMISES_KIND, PREMISES_OTHER } from './palette.js';

const KIND_WORDS = {
  licensed: 'Licensed premises (pubs, bars, clubs)',
  retail: 'Shops',
  'knife-vape-seller': 'Shops selling knives or vapes',
  takeaway: 'Takeaways',
  hostel: 'Hostels and supported housing',
  other: 'Other premises',
};

/** kindWords names a register kind in plain words ("late-bar" → "Late bar"). */
export function kindWords(kind) {
  if (!kind) return 'No kind given';
  if (KIND_WORDS[kind]) return KIND_WORDS[kind];
  const s = kind.replace(/[-_]+/g, ' ');
  return s[0].toUpperCase() + s.slice(1);
}

/** kindColor is a kind's colour on the map and in the key. */
export const kindColor = (kind) => PREMISES_KIND[kind] ?? PREMISES_OTHER;

/** kindsOf lists the register's kinds with how many premises each has, the most first. */
export function kindsOf(premises) {
  const n = new Map();
  for (const p of premises) n.set(p.kind, (n.get(p.kind) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
    .map(([kind, count]) => ({ kind, words: kindWords(kind), color: kindColor(kind), count }));
}

/** premisesCount says a premises' count: a withheld one as "fewer than N", never 0. */
export function premisesCount(p, below) {
  if (p.suppressed) return `fewer than ${int(below ?? 5)} records (withheld)`;
  return `${int(p.count)} record${p.count === 1 ? '' : 's'}`;
}

/** rankPremises keeps the kinds chosen (all when none) and orders by count, withheld after counted. */
export function rankPremises(premises, kinds = []) {
  const keep = kinds.length ? premises.filter((p) => kinds.includes(p.kind)) : [...premises];
  const key = (p) => (p.suppressed ? 0.5 : p.count ?? 0);
  return keep.sort((a, b) => key(b) - key(a) || a.id.localeCompare(b.id));
}

/** premisesFeatures are the premises with a place in the register, as map points. */
export function premisesFeatures(premises) {
  return {
    type: 'FeatureCollection',
    features: premises.filter((p) => p.longitude != null && p.latitude != null).map((p) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.longitude, p.latitude] },
      // A withheld count is -1 on the map (it sorts and sizes as "some"),
      // never 0; the popup and key read `suppressed`.
      properties: { id: p.id, name: p.name, kind: p.kind, count: p.suppressed ? -1 : p.count ?? 0, suppressed: p.suppressed },
    })),
  };
}

/** shortPseudonym shows the first 8 of a pseudonym's 16 hex digits. */
export const shortPseudonym = (id) => (id.length > 8 ? `${id.slice(0, 8)}…` : id);

export const PSEUDONYM_NOTE = 'pseudonym — not a name; HMAC of the partner’s reference';

/** offenderLine is an offender in words: count, months and premises. */
export function offenderLine(o, names) {
  const months = o.first_month === o.last_month ? month(o.first_month) : `${month(o.first_month)} – ${month(o.last_month)}`;
  const prem = o.premises.length === 0 ? 'no linked premises'
    : `${o.premises.slice(0, 2).map((id) => names.get(id) ?? id).join('; ')}${o.premises.length > 2 ? ` and ${int(o.premises.length - 2)} more` : ''}`;
  return { count: `${int(o.count)} records, ${months}`, premises: prem };
}

/** locationWords names a repeat location, with its premises when it is one. */
export function locationWords(p) {
  if (!p.premises) return { title: p.location, sub: '' };
  return { title: p.premises_name || p.premises, sub: `${kindWords(p.premises_kind)} · ${p.location}` };
}

/** locationsCSV writes repeat locations (features of /repeats/locations). */
export function locationsCSV(features) {
  const head = ['rank', 'location', 'count', 'premises', 'premises_name', 'premises_kind', 'ward', 'longitude', 'latitude'];
  return [head, features.map((f, i) => {
    const p = f.properties;
    return [i + 1, p.location, p.count, p.premises, p.premises_name, p.premises_kind, p.ward, p.longitude, p.latitude];
  })];
}

/** premisesCSV writes ranked premises; a withheld count is blank with the reason beside it. */
export function premisesCSV(premises, below) {
  const head = ['rank', 'id', 'name', 'kind', 'count', 'withheld', 'longitude', 'latitude'];
  return [head, premises.map((p, i) => [i + 1, p.id, p.name, p.kind, p.suppressed ? null : p.count, p.suppressed ? `fewer than ${below ?? 5}` : '', p.longitude, p.latitude])];
}

/** offendersCSV writes repeat offenders, premises ids separated by spaces. */
export function offendersCSV(offenders) {
  const head = ['rank', 'pseudonym', 'count', 'first_month', 'last_month', 'premises'];
  return [head, offenders.map((o, i) => [i + 1, o.id, o.count, o.first_month, o.last_month, o.premises.join(' ')])];
}
