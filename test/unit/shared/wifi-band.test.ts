import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wifiBand } from '../../../shared/index.ts';

test('Wi-Fi band from the centre frequency: 2.4, 5, 6 and 60 GHz; unknown stays unknown', () => {
  assert.equal(wifiBand(2412), '2.4 GHz'); // channel 1, the iw capture's frequency
  assert.equal(wifiBand(2484), '2.4 GHz'); // channel 14
  assert.equal(wifiBand(5180), '5 GHz'); // channel 36
  assert.equal(wifiBand(5885), '5 GHz'); // channel 177
  assert.equal(wifiBand(5955), '6 GHz'); // 6 GHz channel 1
  assert.equal(wifiBand(6135), '6 GHz'); // the darwin replay's 6 GHz channel
  assert.equal(wifiBand(60480), '60 GHz');
  assert.equal(wifiBand(null), null);
  assert.equal(wifiBand(900), null); // 802.11ah: not a band this shows
  assert.equal(wifiBand(Number.NaN), null);
});
