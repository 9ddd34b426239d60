// The partner-record filters (DESIGN.md, "Partner records"): which
// source, which flags must hold, which days and hours. They live in the
// view state and the link like the other filters; this module checks
// them against what the signed-in role may see and what a priority
// fixes, and turns them into the API's parameters.

export const POLICEUK = 'policeuk';
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
// The night-time economy's nights: 20:00 to 03:59, an hour after
// midnight counted with the evening before it.
export const NIGHT = Object.freeze({ days: 'fri,sat', hours: '20-04' });
// The layers of single records, which a partner key may not have of partner sources.
export const RECORD_LAYERS = ['incidents', 'points'];
const HOURS = /^([01]\d|2[0-3])-([01]\d|2[0-4])$/;

/** isLocal says whether a state counts partner records. */
export const isLocal = (s) => Boolean(s.source) && s.source !== POLICEUK;

/** partnerLocal: a partner key on a local source sees aggregates only. */
export const partnerLocal = (s, role) => role === 'partner' && isLocal(s);

/** fixedOf is what a priority fixes: {source, flags, days, hours}, each '' or [] when free. */
export function fixedOf(priority) {
  return {
    source: priority?.source || '',
    flags: priority?.flags ? [...priority.flags] : [],
    days: priority?.days || '',
    hours: priority?.hours || '',
  };
}

/** readLocal takes the filters from a link's query. */
export function readLocal(q) {
  return {
    source: q.get('source') || '',
    flags: (q.get('flag') || '').split(',').filter(Boolean),
    days: q.get('days') || '',
    hours: q.get('hours') || '',
  };
}

/** writeLocal puts them in a link's query (police.uk, the default, left out). */
export function writeLocal(q, s) {
  if (isLocal(s)) q.set('source', s.source);
  if (s.flags?.length) q.set('flag', s.flags.join(','));
  if (s.days) q.set('days', s.days);
  if (s.hours) q.set('hours', s.hours);
}

/**
 * localParams are the API parameters of a state's filters. What the
 * priority fixes is left to the server (it applies it, and refuses any
 * other value), so that a link made before a priority was changed still
 * answers.
 */
export function localParams(s, fixed = fixedOf(null)) {
  const p = [];
  if (isLocal(s) && !fixed.source) p.push(['source', s.source]);
  if (s.flags?.length && !fixed.flags.length) p.push(['flag', s.flags.join(',')]);
  if (s.days && !fixed.days) p.push(['days', s.days]);
  if (s.hours && !fixed.hours) p.push(['hours', s.hours]);
  return p;
}

/**
 * normalizeLocal fits the filters to the caller's sources and to the
 * priority's fixed ones, saying in notices what it had to change: a
 * link opened by someone not allowed its source shows police.uk.
 */
export function normalizeLocal(s, meta, priority, notices) {
  const out = { ...s, flags: [...(s.flags ?? [])] };
  const sources = meta.sources ?? [POLICEUK];
  const fixed = fixedOf(priority);
  if (fixed.source) out.source = fixed.source;
  if (fixed.flags.length) out.flags = fixed.flags;
  if (fixed.days) out.days = fixed.days;
  if (fixed.hours) out.hours = fixed.hours;
  if (out.source === POLICEUK) out.source = '';
  const known = out.source === 'all' ? sources.length > 1 : sources.includes(out.source);
  if (out.source && !known) {
    notices.push(`Source “${out.source}” is not open to this key (partner records need a partner or analyst key); showing police.uk.`);
    out.source = '';
  }
  if (!out.source && (out.flags.length || out.days || out.hours)) {
    notices.push('Flags, days and hours apply to partner records only (police.uk has no time of day or flags); they were cleared.');
    Object.assign(out, { flags: [], days: '', hours: '' });
  }
  const flagNames = meta.flags ?? [];
  const badFlags = out.flags.filter((f) => !flagNames.includes(f));
  if (badFlags.length) {
    notices.push(`Flag “${badFlags.join(', ')}” is unknown; it was dropped.`);
    out.flags = out.flags.filter((f) => flagNames.includes(f));
  }
  if (out.days && !out.days.split(',').every((d) => DAYS.includes(d))) {
    notices.push(`Days “${out.days}” are not mon…sun; showing every day.`);
    out.days = '';
  }
  if (out.hours && !HOURS.test(out.hours)) {
    notices.push(`Hours “${out.hours}” are not HH-HH; showing every hour.`);
    out.hours = '';
  }
  // A threshold in the meta means a partner key: partner records in counts only.
  if (meta.suppress_below != null && out.source && RECORD_LAYERS.includes(out.layer)) {
    notices.push('Single records of partner sources need an analyst key; showing the counts per hexagon instead.');
    out.layer = 'count';
  }
  return out;
}

/** isNight says whether the filters are the night-time preset. */
export const isNight = (s) => s.days === NIGHT.days && s.hours === NIGHT.hours;

// The flags in plain words, for the toggles and titles.
export const FLAG_WORDS = {
  homelessness: 'Homelessness',
  street_lifestyle: 'Street lifestyle (street drinking, begging)',
  domestic_abuse: 'Domestic abuse',
  vawg: 'Violence against women and girls',
  cyp: 'Children and young people (under 18)',
  prevent: 'Prevent (radicalisation concern)',
  knife: 'Knife involved',
};

export const flagWords = (f) => FLAG_WORDS[f] || f.replace(/_/g, ' ');

/** hoursWords says an hours filter in words: 20-04 is 20:00–03:59. */
export function hoursWords(h) {
  const m = HOURS.exec(h || '');
  if (!m) return 'any hour';
  const end = (Number(m[2]) + 23) % 24;
  return `${m[1]}:00–${String(end).padStart(2, '0')}:59`;
}

/** localWords sums the filters up for titles and legends ('' for police.uk). */
export function localWords(s) {
  if (!isLocal(s)) return '';
  const parts = [s.source === 'all' ? 'every source' : `source ${s.source}`];
  if (s.flags?.length) parts.push(s.flags.map(flagWords).join(' and '));
  if (isNight(s)) parts.push('Fri–Sat nights 20:00–04:00');
  else {
    if (s.days) parts.push(s.days.split(',').map((d) => d[0].toUpperCase() + d.slice(1)).join(', '));
    if (s.hours) parts.push(hoursWords(s.hours));
  }
  return parts.join(' · ');
}
