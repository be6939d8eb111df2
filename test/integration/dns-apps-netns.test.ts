// DNS analytics per app, end to end: the engine (with the packet capture) in namespace A, a resolver
// with one long-lived socket (peers/dns-client.ts) asking dnsmasq in namespace B: snapshot.dns credits
// its queries, responses and NXDOMAIN to its app, the connection poll having named the socket's owner.
// No packet leaves the two namespaces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fork } from 'node:child_process';
import { Lab, labSkip } from './capture-lab.ts';
import { EngineHost, nextMessage } from './engine-host.ts';
import { ENGINE_EXEC_ARGV } from '../../shared/engine-runtime.ts';
import { ROOT, noNamespaces } from '../helpers.ts';

const A = `nwdp${process.pid}a`, B = `nwdp${process.pid}b`;
const SERVER = '10.213.87.1';
let skip = labSkip(['dnsmasq']);
let lab: Lab | undefined;
let engine: EngineHost | undefined;

before(async () => {
  if (skip) return;
  try { lab = new Lab(A, B); } catch (e) { skip = noNamespaces(e); return; }
  lab.veth([A, 'nwdpab', '10.213.87.2/24'], [B, 'nwdpba', `${SERVER}/24`]);
  await lab.dnsmasq(B, SERVER, ['address=/ok.nw.test/10.213.87.7']);
});

after(async () => {
  await engine?.stop();
  lab?.cleanup();
});

test('a resolver with one socket: its lookups are credited to its app', async (t) => {
  if (skip) return t.skip(skip);
  engine = new EngineHost({ probes: false, intervalMs: 500, connectionsVisibleMs: 500 }, { execPath: 'ip', execArgv: ['netns', 'exec', A, process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV] });
  await engine.next((s) => s.sources.capture?.state === 'ok' && s.dns !== null && s.dns !== undefined, 30_000);
  const run = async (suffix: string) => {
    const c = fork(path.join(ROOT, 'test', 'integration', 'peers', 'dns-client.ts'), [SERVER, suffix, '20', '100'],
      { execPath: 'ip', execArgv: ['netns', 'exec', A, process.execPath, ...process.execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    lab!.children.push(c);
    await nextMessage(c);
    c.send({ go: true });
    const r = await nextMessage<{ sent: number; answered: number }>(c);
    return { c, r };
  };
  const found = await run('ok.nw.test');
  const missing = await run('missing.nw.test');
  assert.deepEqual([found.r, missing.r], [{ sent: 20, answered: 20 }, { sent: 20, answered: 20 }]);
  const s = await engine.next((x) => (x.dns?.apps ?? []).reduce((n, a) => n + a.queries, 0) >= 40, 15_000);
  const app = s.apps.find((a) => a.pids.includes(found.c.pid!))!;
  const mine = s.dns!.apps.find((a) => a.appId === app.id)!;
  t.diagnostic(JSON.stringify({ totals: { q: s.dns!.queries, r: s.dns!.responses, nx: s.dns!.nxdomain }, app: { ...mine, topDomains: mine.topDomains } }));
  assert.deepEqual([mine.queries, mine.responses, mine.nxdomain, mine.unanswered], [40, 40, 20, 0], 'both runs are one app (node dns-client.ts)');
  assert.equal(mine.latencyBuckets.reduce((a, b) => a + b, 0), 40);
  assert.deepEqual(mine.topDomains, [{ domain: 'nw.test', queries: 40, nxdomain: 20 }]);
  assert.ok(s.dns!.queries >= 40 && s.dns!.nxdomain >= 20);
});
