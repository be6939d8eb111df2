// Late subscribers get the latest value (shared/replay.ts): what the preload does with the link state
// and the settings main replays on every page load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Replay } from '../../../shared/replay.ts';
import type { EngineLink } from '../../../shared/index.ts';

test('a subscriber arriving after "up" hears "up" at once, then every change; unsubscribing stops it', () => {
  const r = new Replay<EngineLink>();
  const early: EngineLink[] = [];
  r.subscribe((l) => early.push(l));
  assert.deepEqual(early, [], 'nothing known yet: nothing replayed');
  r.set({ state: 'up' });
  const late: EngineLink[] = [];
  const off = r.subscribe((l) => late.push(l));
  assert.deepEqual(late, [{ state: 'up' }]);
  r.set({ state: 'down', reason: 'collector killed by SIGKILL; restarting in 1 s' });
  off();
  r.set({ state: 'up' });
  assert.equal(late.length, 2);
  assert.equal(early.length, 3);
  assert.deepEqual(r.current, { state: 'up' });
});
