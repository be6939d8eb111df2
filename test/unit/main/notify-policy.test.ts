import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotificationGate, Retained, notifyPolicyOf } from '../../../electron/main/notify-policy.ts';
import { defaultSettings, explainText, type Alert } from '../../../shared/index.ts';

let n = 0;
const alert = (key: string, severity: Alert['severity'] = 'warning', category: Alert['category'] = 'bandwidth'): Alert => ({
  id: String(++n), key, category, severity, title: `t-${key}`, detail: `d-${key}`, firstTs: 0, lastTs: 0, active: true, value: 2, threshold: 1,
});

test('one notification per alert key per 5 minutes', () => {
  const g = new NotificationGate();
  assert.equal(g.admit([alert('bw:eth0:rx')], 0).length, 1);
  assert.equal(g.admit([alert('bw:eth0:rx')], 60_000).length, 0);
  assert.equal(g.admit([alert('bw:eth0:rx')], 299_999).length, 0);
  const again = g.admit([alert('bw:eth0:rx', 'critical')], 300_000);
  assert.equal(again.length, 1);
  assert.equal(again[0]!.title, 'Critical: t-bw:eth0:rx');
  // The body explains (shared/explain.ts): what happened and what to do.
  const one = again[0]!;
  assert.ok(one.kind === 'single');
  assert.equal(one.body, explainText(one.alert));
  assert.match(one.body, /^This computer is downloading at 2 B\/s, more than twice your alert threshold of 1 B\/s\. If you expected/);
});

test('at most N a minute overall; the window slides', () => {
  const g = new NotificationGate({ perKeyMs: 0, perMinute: 3, groupAbove: 10, muted: [] });
  assert.equal(g.admit([alert('a')], 0).length, 1);
  assert.equal(g.admit([alert('b')], 1000).length, 1);
  assert.equal(g.admit([alert('c')], 2000).length, 1);
  assert.equal(g.admit([alert('d')], 3000).length, 0, 'budget spent');
  assert.equal(g.admit([alert('e')], 60_001).length, 1, 'the first one left the window');
});

test('a burst is grouped into one notification naming the worst severity', () => {
  const g = new NotificationGate();
  const out = g.admit([alert('a'), alert('b', 'critical'), alert('c'), alert('d'), alert('e')], 0);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.kind, 'group');
  assert.equal(out[0]!.title, '5 new alerts (critical)');
  assert.equal(out[0]!.body, 't-a\nt-b\nt-c\n… and 2 more');
  assert.equal(g.admit([alert('a')], 1000).length, 0, 'grouped keys count as notified');
});

test('muted categories never notify', () => {
  const g = new NotificationGate({ perKeyMs: 0, perMinute: 10, groupAbove: 5, muted: ['portscan'] });
  assert.deepEqual(g.admit([alert('p', 'critical', 'portscan')], 0), []);
  assert.equal(g.admit([alert('b')], 0).length, 1);
});

test('shown notifications stay referenced until clicked or closed, and the set stays bounded', () => {
  const r = new Retained<object>(3);
  const a = {}, b = {}, c = {}, d = {};
  r.keep(a); r.keep(b);
  assert.equal(r.size, 2);
  r.release(a);
  assert.equal(r.has(a), false);
  assert.equal(r.has(b), true);
  r.keep(c); r.keep(d); r.keep(a);
  assert.equal(r.size, 3, 'bounded');
  assert.equal(r.has(b), false, 'the oldest let go first');
  assert.ok(r.has(c) && r.has(d) && r.has(a));
});

test('the settings\' policy: sentences in the user\'s units, their mutes', () => {
  const g = new NotificationGate(notifyPolicyOf({ ...defaultSettings(), units: 'bits', notifications: { enabled: true, muted: ['portscan'], perMinute: 7 } }));
  const [n] = g.admit([{ ...alert('bw:wlan0:tx'), value: 7e6, threshold: 5e6, interface: 'wlan0', direction: 'tx' }], 0);
  assert.match(n!.body, /uploading at 56\.0 Mbit\/s on wlan0, above your alert threshold of 40\.0 Mbit\/s/);
  assert.equal(g.admit([alert('scan', 'warning', 'portscan')], 1).length, 0, 'the settings\' mutes kept');
});
