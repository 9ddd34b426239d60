// The "Repeat offenders" list (analysts only, DESIGN.md "Access"): the
// pseudonyms with two or more partner records, busiest first, each a
// button that rings every premises its records name and fits the map to
// them. A partner key is told the list needs an analyst key and nothing
// is asked for; the public never sees the section. The server audits
// every answer.

import * as api from './api.js';
import * as store from './state/store.js';
import { escapeHTML, int, monthRange } from './format.js';
import { isLocal, localWords } from './state/local.js';
import { pickButton } from './panel.js';
import { download } from './export.js';
import { csvName, csvText } from './csv.js';
import { PSEUDONYM_NOTE, offenderLine, offendersCSV, shortPseudonym } from './premises-words.js';
import { areaWords, markChosen, premisesReady, ring, seesPartnerLists } from './premises.js';

const $ = (id) => document.getElementById(id);
export const TOP_OFFENDERS = 10;
export const ANALYST_ONLY = 'Repeat offenders: needs an analyst key. Pseudonyms of people are for analysts only, and every look at them is audited.';

let loadedURL = '';
let answer = null;
let places = new Map(); // premises id → {name, point}
let wired = false;

const isAnalyst = () => ['analyst', 'admin'].includes(document.body.dataset.role);

/** loadOffenders asks for the repeat offenders of state s, for an analyst on partner records only. */
export async function loadOffenders(s, current) {
  const section = $('offenders-section');
  section.hidden = !seesPartnerLists();
  if (section.hidden) return;
  wire();
  $('offenders-subject').textContent = `${localWords(s) || 'police.uk'} · ${monthRange(s.from, s.to)} · ${areaWords(s)}`;
  if (!isAnalyst() || !isLocal(s)) {
    loadedURL = '';
    answer = null;
    show(isAnalyst() ? 'Repeat offenders are in partner records: choose a partner source under “Records”.' : ANALYST_ONLY);
    return;
  }
  const u = api.offendersURL(s);
  if (u === loadedURL && answer) return;
  loadedURL = u;
  answer = null;
  show('Loading…');
  try {
    const [d, prem] = await Promise.all([api.json(u), premisesReady()]);
    if (!current()) return;
    answer = d;
    places = new Map((prem?.premises ?? []).map((p) => [p.id, { name: p.name, point: p.longitude == null ? null : [p.longitude, p.latitude] }]));
    render();
  } catch (err) {
    if (!current()) return;
    loadedURL = '';
    show(err.words ? err.words() : String(err), true);
  }
}

function wire() {
  if (wired) return;
  wired = true;
  $('offenders-csv').addEventListener('click', () => {
    const s = store.state();
    const [head, rows] = offendersCSV(answer.offenders);
    download(csvName('hotspot-repeat-offenders', s.source, `${s.from}_${s.to}`), csvText(head, rows), 'text/csv');
  });
}

function show(message, error = false) {
  $('offenders-csv').hidden = !isAnalyst();
  $('offenders-csv').disabled = true;
  $('offenders-note').hidden = !isAnalyst();
  $('offenders-total').textContent = '';
  $('offenders-list').innerHTML = `<li class="${error ? 'error-text' : 'muted'}" data-testid="offenders-message"${error ? ' role="alert"' : ''}>${escapeHTML(message)}</li>`;
}

function render() {
  const list = $('offenders-list');
  const rows = answer.offenders;
  $('offenders-csv').disabled = rows.length === 0;
  $('offenders-note').textContent = `Each entry is a ${PSEUDONYM_NOTE}. The same reference gives the same pseudonym in every import.`;
  // The answer lists the first `limit` offenders; total counts them all.
  $('offenders-total').textContent = `Top ${int(Math.min(TOP_OFFENDERS, rows.length))} of ${int(answer.total ?? rows.length)} people with ${int(answer.meta?.min ?? 2)} or more records.`;
  const names = new Map([...places].map(([id, p]) => [id, p.name]));
  list.replaceChildren(...rows.slice(0, TOP_OFFENDERS).map((o) => {
    const words = offenderLine(o, names);
    const sub = `<span class="pick-sub">${escapeHTML(words.count)}</span><span class="pick-sub">${escapeHTML(words.premises)}</span>`;
    const points = o.premises.map((id) => places.get(id)?.point).filter(Boolean);
    const label = `Pseudonym ${o.id}: ${words.count}; premises ${words.premises}`;
    const { li, button } = pickButton('offender', shortPseudonym(o.id), sub, label, () => {
      markChosen(list, button);
      ring(points);
    });
    button.title = `${o.id} (${PSEUDONYM_NOTE})`;
    button.dataset.offender = o.id;
    button.dataset.places = String(points.length);
    if (points.length === 0) button.disabled = true;
    return li;
  }));
  if (rows.length === 0) list.innerHTML = '<li class="muted">No one has two or more records for these filters.</li>';
}
