// A forecast target's line in the panel: a count withheld from a partner
// key reads as withheld (never "null incidents"), and a target without
// incidents in the training window says so.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { targetLine } from '../src/forecast-words.js';

it('says a withheld target count in words, never null', () => {
  const s = targetLine({ rank: 7, count: null, suppressed: true }, 12, 5);
  assert.doesNotMatch(s, /null|undefined|NaN/);
  assert.match(s, /fewer than 5 \(withheld\)/);
});

it('counts a target in words', () => {
  assert.equal(targetLine({ rank: 1, count: 1, suppressed: false }, 1, 5), 'Target 1 · 1 incident in 1 month');
  assert.equal(targetLine({ rank: 2, count: 1234, suppressed: false }, 12, 5), 'Target 2 · 1,234 incidents in 12 months');
});

it('says when a target held no incident over the window', () => {
  assert.match(targetLine({ rank: 3, count: 0, suppressed: false }, 12, 5), /no incident in 12 months: a target for the incidents around it/);
});
