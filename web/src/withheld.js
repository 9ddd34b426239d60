// Counts withheld from a partner key (DESIGN.md, "Access"): a local
// source's count from 1 to suppress_below − 1 comes as null with
// "suppressed": true. The map draws such a hexagon or ward grey, never
// as a zero or in a count class, and the legend says what grey means.

import { int } from './format.js';
import { WITHHELD as WITHHELD_COLOR } from './palette.js';

// The layers whose colour is the count itself (or a rate from it).
const COUNT_LAYERS = new Set(['count', 'wards-count', 'wards-rate']);
const HEX_LAYERS = new Set(['gi', 'count']);

/** withheldWords says what a withheld count is, for legends and panels. */
export function withheldWords(below) {
  const n = below ?? 5;
  return `fewer than ${int(n)} records: withheld from a partner key so that no one can be recognised (not zero)`;
}

/** countWords is a feature's count for the details panel, a withheld one in words. */
export function countWords(p, below) {
  return isWithheld(p) ? `fewer than ${int(below ?? 5)} (withheld)` : int(p.count);
}

/** isWithheld says whether a feature's count was withheld. */
export const isWithheld = (props) => props?.suppressed === true;

/**
 * withheldModel adds the withheld features to a layer's paint and legend.
 * On the count layers they are grey; on Gi* they keep the bin the server
 * computed from the true counts, and the legend says their counts are
 * withheld.
 */
export function withheldModel(model, layer, data, below) {
  const feats = (HEX_LAYERS.has(layer) ? data.hex?.features : layer.startsWith('wards-') ? data.wards?.features : null) ?? [];
  const n = feats.filter((f) => isWithheld(f.properties)).length;
  if (n === 0) return model;
  const unit = HEX_LAYERS.has(layer) ? 'cells' : 'wards';
  if (!COUNT_LAYERS.has(layer)) {
    return { ...model, note: `${model.note ?? ''} ${int(n)} ${unit}: count ${withheldWords(below)}.`.trim() };
  }
  const isW = ['==', ['get', 'suppressed'], true];
  return {
    ...model,
    classes: [...model.classes, { color: WITHHELD_COLOR, label: `Grey: ${withheldWords(below)}`, n, unit }],
    color: ['case', isW, WITHHELD_COLOR, model.color],
    ...(model.opacity ? { opacity: ['case', isW, 0.85, model.opacity] } : {}),
  };
}
