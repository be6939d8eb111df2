// DNS lookups without the capture: the engine's client of systemd-resolved's monitor against a real
// systemd-resolved 252 (Debian's binary, unpacked by .ci/run rather than installed, since installing it
// takes /etc/resolv.conf over) in a namespace of its own, forwarding to a dnsmasq in another. Lookups
// through its stub (127.0.0.53) arrive with their names, rcodes and answers; as uid 65534 the monitor
// socket (mode 0600) is refused and the reason says so; the engine without the capture counts them in
// snapshot.dns (method resolved). No packet leaves the two namespaces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT, unprivilegedProblem, noNamespaces } from '../helpers.ts';
import { Lab, has } from './capture-lab.ts';
import { EngineHost } from './engine-host.ts';
import { ENGINE_EXEC_ARGV } from '../../shared/engine-runtime.ts';

const CANDIDATES = [process.env.NW_RESOLVED, '/lib/systemd/systemd-resolved', '/opt/nw-resolved/lib/systemd/systemd-resolved'];
const RESOLVED = CANDIDATES.find((p) => p && fs.existsSync(p));
const R = `nwrm${process.pid}r`, D = `nwrm${process.pid}d`;
const R_IP = '10.213.96.2', D_IP = '10.213.96.1';
let skip: string | false = false;
let lab: Lab | undefined;
let resolved: ChildProcess | undefined;

before(async () => {
  if (process.getuid?.() !== 0) { skip = 'needs root (namespaces, a private mount namespace for resolved)'; return; }
  if (!RESOLVED) { skip = 'systemd-resolved not found (.ci/run unpacks Debian\'s into /opt/nw-resolved; or set NW_RESOLVED)'; return; }
  const missing = ['dnsmasq', 'dig', 'unshare', 'nsenter'].filter((c) => !has(c));
  if (missing.length) { skip = `not installed: ${missing.join(', ')}`; return; }
  try { lab = new Lab(R, D); } catch (e) { skip = noNamespaces(e); return; }
  lab.veth([R, 'nwrmr', `${R_IP}/24`], [D, 'nwrmd', `${D_IP}/24`]);
  await lab.dnsmasq(D, D_IP, ['address=/a.nw.test/10.213.96.7', 'address=/b.nw.test/fd00:213:96::7']);
  const dir = lab.tmp();
  // resolved drops to the user systemd-resolve: given in copies of passwd/group bound over the real ones
  // inside the mount namespace only; its config and runtime folder are private there too.
  const user = 'systemd-resolve:x:990:990::/:/usr/sbin/nologin\n', group = 'systemd-resolve:x:990:\n';
  const passwd = fs.readFileSync('/etc/passwd', 'utf8'), groups = fs.readFileSync('/etc/group', 'utf8');
  fs.writeFileSync(path.join(dir, 'passwd'), /^systemd-resolve:/m.test(passwd) ? passwd : passwd + user);
  fs.writeFileSync(path.join(dir, 'group'), /^systemd-resolve:/m.test(groups) ? groups : groups + group);
  fs.mkdirSync(path.join(dir, 'systemd'));
  fs.writeFileSync(path.join(dir, 'systemd', 'resolved.conf'), `[Resolve]\nDNS=${D_IP}\nLLMNR=no\nMulticastDNS=no\nDNSSEC=no\nCache=no\n`);
  const script = [
    `mount --bind ${dir}/passwd /etc/passwd`, `mount --bind ${dir}/group /etc/group`,
    'mkdir -p /etc/systemd', `mount --bind ${dir}/systemd /etc/systemd`,
    'mkdir -p /run/systemd', 'mount -t tmpfs tmpfs /run/systemd', `exec ${RESOLVED}`,
  ].join(' && ');
  resolved = spawn('ip', ['netns', 'exec', R, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  lab.children.push(resolved);
  let log = '';
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`systemd-resolved did not start: ${log}`)), 20_000);
    resolved!.stderr!.on('data', (b: Buffer) => { log += b; if (/stub listener|Using system hostname/i.test(log)) { clearTimeout(t); res(); } });
    resolved!.once('exit', (c) => { clearTimeout(t); rej(new Error(`systemd-resolved exited ${c}: ${log}`)); });
  });
});

after(() => lab?.cleanup());

/** The pid of resolved itself (the sh exec'd into it), to enter its mount and network namespaces. */
const resolvedPid = () => resolved!.pid!;

/** Starts the follower in resolved's namespaces (as `uid` if given); its lines as parsed JSON. */
function follower(uid?: number): { lines: Array<Record<string, unknown>>; next: (f: (l: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>; stop: () => void } {
  const priv = uid === undefined ? [] : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'];
  const c = spawn('nsenter', ['-t', String(resolvedPid()), '-m', '-n', ...priv, process.execPath, ...process.execArgv,
    path.join(ROOT, 'test', 'integration', 'peers', 'resolved-follow.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  lab!.children.push(c);
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  readline.createInterface({ input: c.stdout! }).on('line', (l) => { lines.push(JSON.parse(l)); waiters.splice(0).forEach((w) => w()); });
  const next = (f: (l: Record<string, unknown>) => boolean) => new Promise<Record<string, unknown>>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`timed out; lines: ${JSON.stringify(lines)}`)), 15_000);
    const look = () => { const hit = lines.find(f); if (hit) { clearTimeout(t); res(hit); } else waiters.push(look); };
    look();
  });
  return { lines, next, stop: () => c.stdin!.end() };
}

const dig = (...args: string[]) => execFileSync('nsenter', ['-t', String(resolvedPid()), '-m', '-n', 'dig', '+tries=1', '+time=3', '@127.0.0.53', ...args]).toString();

test('root: 20 lookups through resolved\'s stub (10 of names that do not exist) arrive with name, type, rcode and answers', async (t) => {
  if (skip) return t.skip(skip);
  const f = follower();
  await f.next((l) => (l.status as { state?: string } | undefined)?.state === 'ok');
  for (let i = 0; i < 10; i++) dig(i % 2 ? 'a.nw.test' : 'b.nw.test', i % 2 ? 'A' : 'AAAA');
  for (let i = 0; i < 10; i++) dig(`missing${i}.nw.test`, 'A');
  await f.next(() => f.lines.filter((l) => l.lookup).length >= 20);
  f.stop();
  const lookups = f.lines.flatMap((l) => (l.lookup ? [l.lookup as { name: string; qtype: number; rcode: number; answers: string[] }] : []));
  t.diagnostic(`first: ${JSON.stringify(lookups[0])}; last: ${JSON.stringify(lookups.at(-1))}`);
  assert.equal(lookups.length, 20);
  assert.equal(lookups.filter((l) => l.rcode === 3).length, 10, 'NXDOMAIN');
  assert.deepEqual(lookups.find((l) => l.name === 'a.nw.test'), { name: 'a.nw.test', qtype: 1, rcode: 0, answers: ['10.213.96.7'] });
  assert.deepEqual(lookups.find((l) => l.name === 'b.nw.test'), { name: 'b.nw.test', qtype: 28, rcode: 0, answers: ['fd00:213:96::7'] });
  assert.deepEqual(lookups.filter((l) => l.rcode === 3).map((l) => l.name).sort(), Array.from({ length: 10 }, (_, i) => `missing${i}.nw.test`).sort());
});

test('uid 65534: the monitor socket is refused, and the status says it is root\'s only', async (t) => {
  if (skip) return t.skip(skip);
  const why = unprivilegedProblem();
  if (why) return t.skip(why);
  const f = follower(65534);
  const l = await f.next((x) => x.status !== undefined);
  f.stop();
  assert.deepEqual(l.status, { state: 'unavailable', reason: '/run/systemd/resolve/io.systemd.Resolve.Monitor is root\'s only: DNS lookups are not seen without the capture' });
});

test('the engine without the capture: DNS analytics from the monitor (counts, NXDOMAIN, domains; no latency, no apps)', async (t) => {
  if (skip) return t.skip(skip);
  const engine = new EngineHost({ probes: false, capture: false, intervalMs: 500 }, { execPath: 'nsenter', execArgv: ['-t', String(resolvedPid()), '-m', '-n', process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV] });
  try {
    await engine.next((s) => s.dns?.method === 'resolved', 15_000);
    for (let i = 0; i < 6; i++) dig(`h${i}.a.nw.test`, 'A');
    for (let i = 0; i < 4; i++) dig(`gone${i}.nw.test`, 'A');
    const s = await engine.next((x) => (x.dns?.responses ?? 0) >= 10, 15_000);
    const d = s.dns!;
    assert.deepEqual([d.queries, d.responses, d.nxdomain, d.unanswered], [10, 10, 4, 0]);
    assert.deepEqual(d.latencyBuckets, [0, 0, 0, 0, 0, 0, 0, 0], 'the monitor gives no timings: no made-up latency');
    assert.deepEqual(d.topDomains, [{ domain: 'nw.test', queries: 10, nxdomain: 4 }]);
    assert.deepEqual(d.apps, []);
    assert.deepEqual(s.sources.capture, { state: 'unavailable', reason: 'packet capture turned off in settings' });
  } finally { await engine.stop(); }
});

test('the engine without the capture: a 100-byte name looked up through resolved raises a DNS-tunnel alert', async (t) => {
  if (skip) return t.skip(skip);
  const engine = new EngineHost({ probes: false, capture: false, intervalMs: 500 }, { execPath: 'nsenter', execArgv: ['-t', String(resolvedPid()), '-m', '-n', process.execPath, ...process.execArgv, ...ENGINE_EXEC_ARGV] });
  try {
    await engine.next((s) => s.dns?.method === 'resolved', 15_000);
    const long = `${'a'.repeat(50)}.${'b'.repeat(39)}.t.nw.test`;
    assert.equal(long.length, 100);
    dig(long, 'A');
    const s = await engine.next((x) => x.alerts.active.some((a) => a.category === 'dns-tunnel'), 15_000);
    const a = s.alerts.active.find((x) => x.category === 'dns-tunnel')!;
    t.diagnostic(`${a.title} — ${a.detail}`);
    assert.match(a.detail, /^This machine \(through systemd-resolved\) asked for a 100-byte name/);
    assert.deepEqual([a.evidence?.domain, a.evidence?.names], ['nw.test', [long]]);
    assert.equal(a.evidence?.source, undefined, 'resolved gives no addresses: none is named');
  } finally { await engine.stop(); }
});
