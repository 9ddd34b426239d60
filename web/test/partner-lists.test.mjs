// Unit tests of the partner lists' requests: the repeat locations as the
// layer's GeoJSON (the API's default is DESIGN.md's plain list), and the
// premises and offender lists kept to the ward in focus.
//
//   node --test web/test/partner-lists.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readState } from '../src/state/url.js';
import { premisesListURL, offendersURL, repeatsURL } from '../src/api.js';

describe('the partner lists’ requests', () => {
  const s = readState('?priority=asb&from=2024-01&to=2024-06');
  it('asks for the repeat locations as GeoJSON, which the map draws', () => {
    assert.equal(repeatsURL(s), '/api/v1/repeats/locations?priority=asb&from=2024-01&to=2024-06&min=2&format=geojson');
  });
  it('keeps the premises and offender lists to the ward in focus', () => {
    const w = { ...s, ward: 'E05010463' };
    assert.equal(premisesListURL(w), '/api/v1/repeats/premises?priority=asb&from=2024-01&to=2024-06&ward=E05010463');
    assert.equal(offendersURL(w), '/api/v1/repeats/offenders?priority=asb&from=2024-01&to=2024-06&min=2&ward=E05010463');
  });
  it('asks for the whole city without a focus', () => {
    assert.equal(premisesListURL(s), '/api/v1/repeats/premises?priority=asb&from=2024-01&to=2024-06');
    assert.equal(offendersURL(s), '/api/v1/repeats/offenders?priority=asb&from=2024-01&to=2024-06&min=2');
  });
});
