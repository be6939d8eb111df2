// New-app detector on a real network: the engine runs in namespace A (a host in namespace B counts as
// outside). A first run learns silently; on a later run an app's first connection to B raises exactly
// one new-app alert, and after an engine restart a second run of the same app raises none. The learned
// apps are in known-apps.json beside the history database. No packet leaves the two namespaces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Lab } from './capture-lab.ts';
import { EngineHost, nextMessage } from './engine-host.ts';
import { ENGINE_EXEC_ARGV } from '../../shared/engine-runtime.ts';
import type { Snapshot } from '../../shared/index.ts';
import { noNamespaces } from '../helpers.ts';

const A = `nwna${process.pid}a`, B = `nwna${process.pid}b`;
const SERVER = '10.213.86.1';
let skip: string | false = false;
let lab: Lab | undefined;
let dir = '';
const hosts: EngineHost[] = [];

before(async () => {
  try { lab = new Lab(A, B); } catch (e) { skip = noNamespaces(e); return; }
  lab.veth([A, 'nwnaab', '10.213.86.2/24'], [B, 'nwnaba', `${SERVER}/24`]);
  dir = lab.tmp();
  await lab.peer(B, 'tcp-server', SERVER, 7201, 0);
});

after(async () => {
  for (const h of hosts) await h.stop();
  lab?.cleanup();
});

const engine = () => {
  const h = new EngineHost({ probes: false, intervalMs: 500, connectionsVisibleMs: 500 }, {
    execPath: 'ip', execArgv: ['netns', 'exec', A, process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV],
    env: { NETWATCH_HISTORY: path.join(dir, 'history.sqlite') },
  });
  hosts.push(h);
  return h;
};
const client = async (): Promise<ChildProcess> => {
  const c = await lab!.peer(A, 'tcp-client', SERVER, 7201, 1000, 100);
  c.send({ go: true });
  await nextMessage(c);
  return c;
};
/** The snapshot two connection polls after one that lists `pid`'s app (the detector has seen it), and that app. */
async function seen(h: EngineHost, pid: number): Promise<{ s: Snapshot; appId: string }> {
  const listed = await h.next((s) => s.connectionsTs !== null && s.apps.some((a) => a.pids.includes(pid)));
  const appId = listed.apps.find((a) => a.pids.includes(pid))!.id;
  const s = await h.next((x) => x.connectionsTs! >= listed.connectionsTs! + 1000);
  return { s, appId };
}
const newAppAlerts = (s: Snapshot, appId: string) => [...s.alerts.active, ...s.alerts.history].filter((a) => a.category === 'new-app' && a.evidence?.app?.id === appId);

test('first run learns silently; then one alert for an app\'s first connection, none for its second run after a restart', async (t) => {
  if (skip) return t.skip(skip);
  const file = path.join(dir, 'known-apps.json');
  // First run: no file yet. What runs now is learned, not alerted.
  let h = engine();
  let c = await client();
  let r = await seen(h, c.pid!);
  assert.deepEqual(newAppAlerts(r.s, r.appId), []);
  const peerApp = r.appId;
  c.kill();
  await h.stop();
  const learned = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.ok(learned.apps.some((a: { id: string }) => a.id === peerApp), 'learned during the first run');

  // A later run (the first run's window long over), an app never seen: exactly one alert.
  fs.writeFileSync(file, JSON.stringify({ ...learned, since: Date.now() - 3_600_000, apps: [] }));
  h = engine();
  c = await client();
  r = await seen(h, c.pid!);
  const raised = newAppAlerts(r.s, r.appId);
  assert.equal(raised.length, 1, JSON.stringify(r.s.alerts.active.map((a) => a.key)));
  assert.deepEqual(raised[0]!.evidence, { app: { id: r.appId, name: r.s.apps.find((a) => a.id === r.appId)!.app }, destination: SERVER });
  await new Promise((res) => setTimeout(res, 1500));
  assert.equal(newAppAlerts(h.snapshots.at(-1)!, r.appId).length, 1, 'still one: later polls do not raise it again');
  c.kill();
  await h.stop();

  // Engine restarted, the same app runs again: none.
  h = engine();
  c = await client();
  r = await seen(h, c.pid!);
  assert.equal(r.appId, peerApp);
  assert.deepEqual(newAppAlerts(r.s, r.appId), []);
  c.kill();
});
