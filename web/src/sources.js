// The partner-record controls of the filter form: the source picker (the
// sources the signed-in role may see, from the meta), the flag toggles,
// the days and hours and the one-click night-time preset. Disabled, with
// the reason, for police.uk; locked, saying so, when the priority fixes
// them. Changes go through the view state, the link and refresh().

import * as store from './state/store.js';
import { writeURL } from './state/url.js';
import { DAYS, NIGHT, POLICEUK, RECORD_LAYERS, fixedOf, flagWords, hoursWords, isLocal, isNight, partnerLocal } from './state/local.js';
import { showNotice } from './status.js';
import { refresh } from './refresh.js';
import { option, syncControls } from './controls.js';

const $ = (id) => document.getElementById(id);

const SOURCE_WORDS = { policeuk: 'police.uk street crime (public)', all: 'Every source you may see' };
export const NO_FLAGS = 'police.uk has no time of day or flags: choose a partner source to filter by flag, day or hour.';
export const NIGHT_HELP = 'Fri–Sat nights 20:00–04:00: hours that pass midnight count with the evening before, so Saturday 02:00 is Friday night.';

const role = () => document.body.dataset.role || 'public';
const priorityOf = (s) => store.priorities().find((p) => p.id === s.priority) ?? null;

/** buildSources fills the controls from the meta and wires them. */
export function buildSources() {
  const m = store.meta();
  const local = (m.sources ?? [POLICEUK]).filter((x) => x !== POLICEUK);
  const names = [POLICEUK, ...local, ...(local.length && role() !== 'partner' ? ['all'] : [])];
  $('source').replaceChildren(...names.map((n) => option(n === POLICEUK ? '' : n, SOURCE_WORDS[n] ?? `${n} (partner records)`)));
  $('source-none').hidden = local.length > 0;
  $('flags').replaceChildren(...(m.flags ?? []).map((f) => toggle(`flag-${f}`, flagWords(f), f)));
  $('days').replaceChildren(...DAYS.map((d) => toggle(`day-${d}`, d[0].toUpperCase() + d.slice(1, 3), d)));
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  $('hour-from').replaceChildren(option('', 'Any hour'), ...hours.map((h) => option(h, `${h}:00`)));
  $('hour-to').replaceChildren(...hours.map((h) => option(h, `${h}:00`)), option('24', '24:00'));
  $('night-help').textContent = NIGHT_HELP;
  $('source').addEventListener('change', (e) => apply(sourcePatch(e.target.value)));
  $('flags').addEventListener('change', () => apply({ flags: checked('flags') }));
  $('days').addEventListener('change', () => apply({ days: checked('days').join(',') }));
  for (const id of ['hour-from', 'hour-to']) $(id).addEventListener('change', () => apply({ hours: hoursValue() }));
  $('night-preset').addEventListener('click', () => apply({ ...NIGHT }));
  $('time-clear').addEventListener('click', () => apply({ days: '', hours: '' }));
  syncSources();
}

function toggle(id, text, value) {
  const l = document.createElement('label');
  l.className = 'check toggle';
  const i = document.createElement('input');
  Object.assign(i, { type: 'checkbox', id, value });
  i.dataset.testid = id;
  l.append(i, ` ${text}`);
  return l;
}

const checked = (id) => [...$(id).querySelectorAll('input:checked')].map((i) => i.value);

function hoursValue() {
  const from = $('hour-from').value;
  return from ? `${from}-${$('hour-to').value}` : '';
}

/** sourcePatch is what choosing a source changes: police.uk drops the rest. */
function sourcePatch(source) {
  const patch = { source };
  if (!source) Object.assign(patch, { flags: [], days: '', hours: '' });
  const s = store.state();
  if (partnerLocal({ source }, role()) && RECORD_LAYERS.includes(s.layer)) {
    patch.layer = 'count';
    showNotice('Single records of partner sources need an analyst key; showing the counts per hexagon instead.');
  }
  return patch;
}

function apply(patch) {
  const s = store.updateState(patch);
  syncControls();
  writeURL(s);
  refresh();
}

/** fixedPatch is what choosing a priority sets: the filters it fixes. */
export function fixedPatch(priorityId) {
  const f = fixedOf(store.priorities().find((p) => p.id === priorityId));
  const out = {};
  if (f.source) out.source = f.source;
  if (f.flags.length) out.flags = f.flags;
  if (f.days) out.days = f.days;
  if (f.hours) out.hours = f.hours;
  return out;
}

/** syncSources shows the state in the controls: values, locks and reasons. */
export function syncSources() {
  const s = store.state();
  const local = isLocal(s);
  const fixed = fixedOf(priorityOf(s));
  const locked = Boolean(fixed.source || fixed.flags.length || fixed.days || fixed.hours);
  $('source').value = s.source || '';
  $('source').disabled = Boolean(fixed.source) || $('source').options.length < 2;
  for (const i of $('flags').querySelectorAll('input')) {
    i.checked = (s.flags ?? []).includes(i.value);
    i.disabled = !local || fixed.flags.length > 0;
  }
  const days = s.days ? s.days.split(',') : [];
  for (const i of $('days').querySelectorAll('input')) {
    i.checked = days.includes(i.value);
    i.disabled = !local || Boolean(fixed.days);
  }
  const [from, to] = s.hours ? s.hours.split('-') : ['', '04'];
  $('hour-from').value = from;
  $('hour-to').value = to;
  $('hour-from').disabled = !local || Boolean(fixed.hours);
  $('hour-to').disabled = $('hour-from').disabled || !from;
  $('night-preset').disabled = !local || Boolean(fixed.days || fixed.hours);
  $('night-preset').setAttribute('aria-pressed', String(isNight(s)));
  $('time-clear').disabled = $('night-preset').disabled || (!s.days && !s.hours);
  $('local-reason').textContent = local ? (s.hours ? `Hours ${hoursWords(s.hours)}.` : '') : NO_FLAGS;
  $('local-lock').hidden = !locked;
  $('local-lock').textContent = locked ? `Priority “${priorityOf(s).name}” fixes these filters (${lockWords(fixed)}); choose another priority to change them.` : '';
  const records = partnerLocal(s, role());
  for (const o of $('layer').options) {
    if (!RECORD_LAYERS.includes(o.value)) continue;
    o.disabled = records;
    o.title = records ? 'Single records of partner sources need an analyst key' : '';
  }
}

function lockWords(f) {
  const out = [];
  if (f.source) out.push(`source ${f.source}`);
  if (f.flags.length) out.push(f.flags.map(flagWords).join(' and '));
  if (f.days === NIGHT.days && f.hours === NIGHT.hours) out.push('Fri–Sat nights 20:00–04:00');
  else {
    if (f.days) out.push(`days ${f.days}`);
    if (f.hours) out.push(`hours ${hoursWords(f.hours)}`);
  }
  return out.join(', ');
}
