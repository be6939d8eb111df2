// New-app detector: one alert the first time an app (by identity) talks to the outside, none for its
// other processes or a later run (the learned apps persist beside the history); the first run learns
// silently for LEARN_MS; a damaged file is moved aside with a notice, never a crash; the file is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LEARN_MS, NewAppDetector, isLocalOnly, type OutsideApp } from '../../../../electron/collector/engine/new-app.ts';
import { KNOWN_APPS_FILE, KnownApps, MAX_KNOWN_APPS, knownAppsPath } from '../../../../electron/collector/engine/known-apps.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nw-known-'));
const curl: OutsideApp = { id: '/usr/bin/curl', name: 'curl', exe: '/usr/bin/curl', remote: '10.213.70.1' };
const T0 = 1_800_000_000_000;

test('the file lives beside the history database; no history, no file', () => {
  assert.equal(knownAppsPath('/home/u/.local/share/netwatch/history.sqlite'), `/home/u/.local/share/netwatch/${KNOWN_APPS_FILE}`);
  assert.equal(knownAppsPath(null), null);
});

test('local-only peers are not "the outside": link-local, multicast, broadcast, unspecified', () => {
  assert.deepEqual(['169.254.1.9', 'fe80::1', 'ff02::fb', '224.0.0.251', '255.255.255.255', '0.0.0.0', '::'].filter((a) => !isLocalOnly(a)), []);
  assert.deepEqual(['10.213.70.1', '192.168.1.1', '8.8.8.8', '2001:db8::1', 'fd00::1'].filter(isLocalOnly), []);
});

test('first run: apps seen in the first minutes are learned silently; one seen later alerts once, across restarts none again', () => {
  const dir = tmp();
  const file = path.join(dir, KNOWN_APPS_FILE);
  let k = KnownApps.open(file, T0);
  assert.equal(k.notice, null);
  assert.ok(fs.existsSync(file), 'the first run is recorded at once (a restart continues its window)');
  let d = new NewAppDetector(k);
  assert.deepEqual(d.check([{ ...curl, id: '/usr/bin/firefox', name: 'Firefox' }], T0 + 1000), [], 'learning');
  // A restart inside the window continues it.
  k = KnownApps.open(file, T0 + 60_000);
  d = new NewAppDetector(k);
  assert.equal(k.since, T0);
  assert.deepEqual(d.check([{ ...curl, id: '/usr/bin/ssh', name: 'ssh' }], T0 + 60_000), []);
  const later = T0 + LEARN_MS + 1;
  const raised = d.check([curl, { ...curl, id: '/usr/bin/firefox', name: 'Firefox' }], later);
  assert.equal(raised.length, 1, 'Firefox was learned, curl is new');
  assert.deepEqual({ key: raised[0]!.key, category: raised[0]!.category, evidence: raised[0]!.evidence }, {
    key: 'new-app:/usr/bin/curl', category: 'new-app', evidence: { app: { id: '/usr/bin/curl', name: 'curl' }, destination: '10.213.70.1' },
  });
  assert.deepEqual(d.check([curl], later + 2000), [], 'the next poll: known');
  // A second run of the same app after a restart raises none.
  const again = new NewAppDetector(KnownApps.open(file, later + 10_000));
  assert.deepEqual(again.check([curl], later + 10_000), []);
  const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.deepEqual(stored.apps.map((a: { id: string }) => a.id).sort(), ['/usr/bin/curl', '/usr/bin/firefox', '/usr/bin/ssh']);
  fs.rmSync(dir, { recursive: true });
});

test('switched off: apps are learned, not alerted (turning it on later does not report them)', () => {
  const k = KnownApps.open(null, T0 - LEARN_MS);
  const d = new NewAppDetector(k);
  assert.deepEqual(d.check([curl], T0, false), []);
  assert.deepEqual(d.check([curl], T0 + 1000, true), []);
  assert.equal(d.check([{ ...curl, id: '/usr/bin/wget' }], T0 + 2000, true).length, 1);
});

test('a damaged file is moved aside with a notice and learning starts afresh; never a throw', () => {
  for (const bad of ['{"version":1,"since":', '[1,2,3]', JSON.stringify({ version: 1, since: 1, apps: [{ id: 5 }] }), '\u0000\u0001binary']) {
    const dir = tmp();
    const file = path.join(dir, KNOWN_APPS_FILE);
    fs.writeFileSync(file, bad);
    const k = KnownApps.open(file, T0);
    assert.match(k.notice ?? '', /was damaged .*moved aside to .*known-apps\.corrupt-.*\.json; apps are learned afresh, silently for 5 minutes/);
    const aside = fs.readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    assert.equal(aside.length, 1);
    assert.equal(fs.readFileSync(path.join(dir, aside[0]!), 'utf8'), bad, 'kept as it was');
    assert.equal(k.since, T0, 'a first run again');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { version: 1, since: T0, apps: [] });
    fs.rmSync(dir, { recursive: true });
  }
});

test('an unwritable folder: apps are learned in memory, said once', () => {
  const dir = tmp();
  const file = path.join(dir, 'sub', KNOWN_APPS_FILE);
  fs.writeFileSync(path.join(dir, 'sub'), 'a file where the folder should be');
  const k = KnownApps.open(file, T0);
  assert.match(k.notice ?? '', /cannot be written|ENOTDIR/);
  const d = new NewAppDetector(k);
  d.check([curl], T0 + LEARN_MS + 1);
  assert.ok(k.has(curl.id));
  fs.rmSync(dir, { recursive: true });
});

test('bounded: at most MAX_KNOWN_APPS, the longest unseen forgotten first', () => {
  const dir = tmp();
  const file = path.join(dir, KNOWN_APPS_FILE);
  const k = KnownApps.open(file, T0);
  for (let i = 0; i < MAX_KNOWN_APPS + 10; i++) k.add(`/opt/app${i}/bin/app`, `app${i}`, T0 + i);
  k.seen('/opt/app10/bin/app', T0 + 1e6);
  k.add('/opt/last', 'last', T0 + 2e6);
  k.flush(T0 + 2e6);
  assert.equal(k.size, MAX_KNOWN_APPS);
  assert.ok(k.has('/opt/app10/bin/app'), 'seen recently: kept');
  assert.ok(!k.has('/opt/app11/bin/app'), 'the oldest unseen: forgotten');
  assert.ok(fs.statSync(file).size < 4 << 20);
  assert.equal(KnownApps.open(file, T0 + 3e6).size, MAX_KNOWN_APPS, 'reads back');
  fs.rmSync(dir, { recursive: true });
});

test('the user allow-list: an allowed app is learned without an alert; an allowed host is not "the outside"', () => {
  const d = new NewAppDetector(KnownApps.open(null, T0 - LEARN_MS));
  const allow = [{ kind: 'app' as const, value: '/usr/bin/curl' }, { kind: 'host' as const, value: '10.213.70.9' }];
  assert.deepEqual(d.check([curl], T0, true, allow), []);
  const wget = { ...curl, id: '/usr/bin/wget', name: 'wget', remote: '10.213.70.9' };
  assert.deepEqual(d.check([wget], T0 + 1, true, allow), []);
  assert.equal(d.check([{ ...wget, remote: '10.213.70.1' }], T0 + 2, true, allow).length, 1, 'wget to another host: new');
});
