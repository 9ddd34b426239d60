// Unit tests of the target-area helpers that need no browser.
import test from 'node:test';
import assert from 'node:assert/strict';
import { unionCells } from '../src/areas-union.js';

// Unit squares stand in for hexagons: the edge rule is the same.
const sq = (x, y) => [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]];

test('two neighbours make one outline without the shared edge', () => {
  const mp = unionCells([sq(0, 0), sq(1, 0)]);
  assert.equal(mp.length, 1);
  assert.equal(mp[0].length, 1);
  assert.equal(mp[0][0].length, 7); // six corners (two on the long sides) and the closing one
});

test('apart cells stay apart; a ring of eight holds a hole', () => {
  assert.equal(unionCells([sq(0, 0), sq(5, 5)]).length, 2);
  const ring = [];
  for (let x = 0; x < 3; x++) for (let y = 0; y < 3; y++) if (x !== 1 || y !== 1) ring.push(sq(x, y));
  const mp = unionCells(ring);
  assert.equal(mp.length, 1);
  assert.equal(mp[0].length, 2, 'outline and hole');
});

test('clockwise input is turned; nothing gives null', () => {
  assert.equal(unionCells([[...sq(0, 0)].reverse(), sq(0, 1)]).length, 1);
  assert.equal(unionCells([]), null);
});
