// The "Premises" section: the partnership's premises register as a map
// layer (a toggle, a kind filter that is also the layer's key) and as a
// ranked list whose entries fly to and ring their premises. Partner keys
// and above only: for the public the section stays hidden and nothing is
// asked for. Counts are of partner records, so police.uk asks nothing.

import * as api from './api.js';
import * as store from './state/store.js';
import { mapReady } from './map.js';
import { escapeHTML, int, monthRange } from './format.js';
import { isLocal, localWords } from './state/local.js';
import { pickButton } from './panel.js';
import { download } from './export.js';
import { csvName, csvText } from './csv.js';
import { kindsOf, kindWords, premisesCount, premisesCSV, premisesFeatures, rankPremises } from './premises-words.js';
import { ringPlaces, showPremises } from './premises-layer.js';
import { writeURL } from './state/url.js';
import { focusName } from './focus.js';

const $ = (id) => document.getElementById(id);
export const TOP_PREMISES = 10;
// Five fit on the one-page sheet beside the hot spots.
export const PRINT_PREMISES = 5;
export const PARTNER_ROLES = ['partner', 'analyst', 'admin'];

/** seesPartnerLists says whether the signed-in role may have the register. */
export const seesPartnerLists = () => PARTNER_ROLES.includes(document.body.dataset.role);

let loadedURL = '';
let answer = null; // the /repeats/premises answer for the filters on show
let answerP = Promise.resolve(null);
let kinds = []; // the kinds ticked; none ticked is every kind
let chosen = '';
let wired = false;

/** areaWords says which area the partner lists count: the ward in focus, or the whole city. */
export function areaWords(s) {
  // Before the wards answer names it, the code stands in.
  return s.ward ? `${focusName(s) || s.ward} ward` : 'whole city';
}

/**
 * printPremises is what the print sheet lists of the register: the top
 * premises for the kinds ticked, or null when the role may not see them,
 * the source is police.uk or the answer is not in yet.
 */
export function printPremises(s, top = PRINT_PREMISES) {
  if (!seesPartnerLists() || !isLocal(s) || !answer) return null;
  const ranked = rankPremises(answer.premises, kinds);
  return { top: ranked.slice(0, top), total: ranked.length, below: store.meta()?.suppress_below, area: areaWords(s), kinds: kinds.map(kindWords) };
}

/** premisesReady resolves to the premises answer being loaded (null: none). */
export const premisesReady = () => answerP;

/** loadPremises asks for the register's counts under state s, unless the role may not. */
export function loadPremises(s, current) {
  const section = $('premises-section');
  section.hidden = !seesPartnerLists();
  if (section.hidden) return;
  wire();
  // The layer and its kinds come from the view state (the link).
  $('premises-show').checked = Boolean(s.premises);
  kinds = [...(s.kinds ?? [])];
  if (!isLocal(s)) {
    loadedURL = '';
    answer = null;
    answerP = Promise.resolve(null);
    render(s, 'Premises counts are of partner records: choose a partner source under “Records”.');
    return;
  }
  const u = api.premisesListURL(s);
  if (u === loadedURL && answer) {
    render(s);
    return;
  }
  loadedURL = u;
  answer = null;
  render(s);
  answerP = api.json(u).then((d) => {
    if (!current()) return d;
    answer = d;
    render(s);
    return d;
  }, (err) => {
    if (current()) {
      loadedURL = '';
      render(s, err.words ? err.words() : String(err), true);
    }
    return null;
  });
}

function wire() {
  if (wired) return;
  wired = true;
  $('premises-show').addEventListener('change', () => {
    writeURL(store.updateState({ premises: $('premises-show').checked }));
    drawLayer();
  });
  $('premises-kinds').addEventListener('change', () => {
    kinds = [...$('premises-kinds').querySelectorAll('input:checked')].map((i) => i.value);
    render(writeState({ kinds }));
  });
  $('premises-csv').addEventListener('click', () => {
    const s = store.state();
    const [head, rows] = premisesCSV(rankPremises(answer.premises, kinds), store.meta().suppress_below);
    download(csvName('hotspot-premises', s.source, ...kinds, `${s.from}_${s.to}`), csvText(head, rows), 'text/csv');
  });
}

/** writeState keeps a change of the layer in the view state and the link. */
function writeState(patch) {
  const s = store.updateState(patch);
  writeURL(s);
  return s;
}

/** render fills the section from the answer (null: loading, or `message`). */
function render(s, message = '', error = false) {
  const below = store.meta()?.suppress_below;
  $('premises-subject').textContent = `${localWords(s) || 'police.uk'} · ${monthRange(s.from, s.to)} · ${areaWords(s)}`;
  const list = $('premises-list');
  $('premises-key').textContent = `A circle’s area grows with the premises’ records for the filters above and these months.${below != null ? ` A hollow circle: fewer than ${int(below)} records, withheld from a partner key so that no one can be recognised (not zero).` : ''}`;
  $('premises-csv').disabled = !answer;
  if (!answer) {
    $('premises-kinds').replaceChildren();
    $('premises-total').textContent = '';
    list.innerHTML = `<li class="${error ? 'error-text' : 'muted'}"${error ? ' role="alert"' : ''}>${escapeHTML(message || 'Loading…')}</li>`;
    drawLayer();
    return;
  }
  renderKinds(answer.premises);
  const ranked = rankPremises(answer.premises, kinds);
  const withheld = ranked.filter((p) => p.suppressed).length;
  $('premises-total').textContent = `Top ${int(Math.min(TOP_PREMISES, ranked.length))} of ${int(ranked.length)} premises${kinds.length ? ' of the kinds ticked' : ''} (the register holds ${int(answer.premises.length)})${withheld ? `; ${int(withheld)} with fewer than ${int(below ?? 5)} records, withheld from a partner key (not zero)` : ''}.`;
  list.replaceChildren(...ranked.slice(0, TOP_PREMISES).map((p) => premisesItem(p, below)));
  if (ranked.length === 0) list.innerHTML = '<li class="muted">No premises of these kinds.</li>';
  drawLayer();
}

function renderKinds(premises) {
  const all = kindsOf(premises);
  kinds = kinds.filter((k) => all.some((x) => x.kind === k));
  $('premises-kinds').replaceChildren(...all.map((k) => {
    const l = document.createElement('label');
    l.className = 'check kind';
    l.innerHTML = `<input type="checkbox" value="${escapeHTML(k.kind)}" data-testid="premises-kind-${escapeHTML(k.kind)}"${kinds.includes(k.kind) ? ' checked' : ''}> <span class="swatch dot" style="--c:${k.color}"></span> ${escapeHTML(k.words)} (${int(k.count)})`;
    return l;
  }));
}

function premisesItem(p, below) {
  const sub = `<span class="pick-sub">${escapeHTML(kindWords(p.kind))} · ${escapeHTML(premisesCount(p, below))}</span>`;
  const label = `${p.name}, ${kindWords(p.kind)}: ${premisesCount(p, below)}`;
  if (p.longitude == null) {
    const li = document.createElement('li');
    li.className = 'no-place';
    li.innerHTML = `<span class="pick-title">${escapeHTML(p.name)}</span>${sub}<span class="pick-sub">No location in the register</span>`;
    return li;
  }
  const { li, button } = pickButton(`premises${p.suppressed ? ' withheld' : ''}`, p.name, sub, label, () => {
    chosen = p.id;
    markChosen($('premises-list'), button);
    ring([[p.longitude, p.latitude]]);
  });
  button.dataset.premises = p.id;
  if (p.id === chosen) button.setAttribute('aria-current', 'true');
  return li;
}

/** markChosen marks one list button as the one shown on the map. */
export function markChosen(list, button) {
  for (const b of document.querySelectorAll('#premises-list button[aria-current], #offenders-list button[aria-current]')) b.removeAttribute('aria-current');
  if (list.contains(button)) button.setAttribute('aria-current', 'true');
}

/** ring rings places on the map and brings them into view. */
export async function ring(points) {
  const map = await mapReady;
  if (map) ringPlaces(map, points);
}

async function drawLayer() {
  const map = await mapReady;
  if (!map) return;
  const on = $('premises-show').checked && Boolean(answer);
  showPremises(map, answer ? premisesFeatures(answer.premises) : null, kinds, on);
  if (!answer) ringPlaces(map, []);
}
