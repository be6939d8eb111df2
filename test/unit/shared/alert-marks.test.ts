// Acknowledge and snooze as pure updates of the marks kept with the settings: bounded, expired snoozes
// dropped on every update, the result always valid settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_ACKED, MAX_SNOOZED, SettingsSchema, acknowledge, defaultSettings, isAcknowledged, snooze, snoozedUntil, unacknowledge, unsnooze, type AlertMarks,
} from '../../../shared/index.ts';

const empty = (): AlertMarks => ({ acknowledged: [], snoozed: [] });

test('acknowledge and undo; a snooze covers its key until it ends, and can be stopped', () => {
  let m = acknowledge(empty(), 'a1', 0);
  assert.ok(isAcknowledged(m, 'a1') && !isAcknowledged(m, 'a2'));
  m = acknowledge(m, 'a1', 0);
  assert.deepEqual(m.acknowledged, ['a1'], 'twice is once');
  assert.ok(!isAcknowledged(unacknowledge(m, 'a1', 0), 'a1'));
  m = snooze(m, 'bandwidth:eth0:rx', 60_000, 1000);
  assert.equal(snoozedUntil(m, 'bandwidth:eth0:rx', 1000), 61_000);
  assert.equal(snoozedUntil(m, 'bandwidth:eth0:tx', 1000), null, 'another condition is not covered');
  assert.equal(snoozedUntil(m, 'bandwidth:eth0:rx', 61_000), null, 'ended');
  assert.equal(snoozedUntil(snooze(m, 'bandwidth:eth0:rx', 10, 2000), 'bandwidth:eth0:rx', 2000), 2010, 'a new snooze replaces the old');
  assert.equal(snoozedUntil(unsnooze(m, 'bandwidth:eth0:rx', 2000), 'bandwidth:eth0:rx', 2000), null);
  assert.deepEqual(acknowledge(m, 'a2', 70_000).snoozed, [], 'expired snoozes go on the next update');
});

test('bounded: the oldest acknowledgements fall off, snoozes stay within their cap; settings stay valid', () => {
  let m = empty();
  for (let k = 0; k < MAX_ACKED + 50; k++) m = acknowledge(m, `id${k}`, 0);
  for (let k = 0; k < MAX_SNOOZED + 20; k++) m = snooze(m, `key${k}`, 1e9, 0);
  assert.equal(m.acknowledged.length, MAX_ACKED);
  assert.equal(m.acknowledged[0], 'id50');
  assert.equal(m.snoozed.length, MAX_SNOOZED);
  assert.ok(SettingsSchema.safeParse({ ...defaultSettings(), alertMarks: m }).success);
  assert.ok(!SettingsSchema.safeParse({ ...defaultSettings(), alertMarks: { ...m, acknowledged: [...m.acknowledged, 'x'] } }).success);
});
