// The headless command as a user runs it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers.ts';
import { SnapshotSchema, TCP_STATES } from '../../shared/index.ts';
import { peer } from './engine-host.ts';

const BIN = path.join(ROOT, 'bin', 'netwatch.js');
const run = promisify(execFile);
const kids: Array<{ kill(): unknown }> = [];
after(() => kids.forEach((k) => k.kill()));

async function loopbackPair() {
  const server = await peer<{ port: number }>('sink-server.ts');
  const client = await peer<{ localPort: number }>('paced-client.ts', [String(server.first.port), '1000000', '60000']);
  kids.push(server.child, client.child);
  client.child.send({ go: true });
  return { server, client };
}

// --no-probes everywhere on this machine: probes would ping the real gateway (netns.test.ts probes its own).
test('netwatch snapshot --json: a valid snapshot with interfaces, connections, processes and health', async () => {
  const { server, client } = await loopbackPair();
  const { stdout } = await run(process.execPath, [BIN, 'snapshot', '--json', '--no-probes'], { maxBuffer: 64 << 20 });
  const snap = SnapshotSchema.parse(JSON.parse(stdout));
  assert.ok(snap.interfaces.some((i) => i.name === 'lo' && i.type === 'Loopback' && i.rxBps > 0), 'rates are real after two samples');
  assert.ok(snap.connections.some((c) => c.pid === client.child.pid && c.process === 'nwtest-client'));
  const srv = snap.processes.find((p) => p.pid === server.child.pid)!;
  assert.equal(srv.name, 'nwtest-server');
  assert.ok(srv.rxBps > 0);
  assert.ok(snap.health.gateway && snap.health.dns, 'gateway and DNS detected');
  assert.equal(snap.health.gatewayProbe!.status.state, 'unavailable');
  assert.equal(snap.sources.connections.state, 'ok');
});

test('netwatch watch --jsonl: a system line per cycle, a socket line each, clean exit on SIGINT', async () => {
  const { server } = await loopbackPair();
  const child = spawn(process.execPath, [BIN, 'watch', '--jsonl', '--interval', '0.5', '--no-probes'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  await new Promise((r) => setTimeout(r, 3000));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  const headers = lines.filter((l) => l.type === 'system');
  assert.ok(headers.length >= 3, `${headers.length} cycles`);
  assert.equal(headers[0].interval_ms, 500);
  assert.deepEqual(headers[0].state_counts.map((s: { state: string }) => s.state), [...TCP_STATES]);
  const last = headers.at(-1);
  const cycle = lines.slice(lines.lastIndexOf(last) + 1).filter((l) => l.type === 'socket');
  assert.equal(cycle.length, last.total_sockets);
  const mine = cycle.find((l) => l.pid === server.child.pid && l.state === 'ESTAB');
  assert.equal(mine.command, 'nwtest-server');
  assert.ok(mine.rx_bps > 0);
});

test('netwatch: bad arguments exit 2 with the usage', async () => {
  await assert.rejects(run(process.execPath, [BIN, 'watch', '--interval', 'abc']), (e: { code: number; stderr: string }) => e.code === 2 && /interval/.test(e.stderr));
  await assert.rejects(run(process.execPath, [BIN, 'frobnicate']), (e: { code: number; stderr: string }) => e.code === 2 && /usage/.test(e.stderr));
  await assert.rejects(run(process.execPath, [BIN, 'watch', '--jsonl', '--port-set', 'web=80', '--port-set', 'x=99999']),
    (e: { code: number; stderr: string }) => e.code === 2 && e.stderr === '--port-set x: 99999 is not a port (1–65535)\n');
});

type Failed = { code: number; stdout: string; stderr: string };

test('netwatch --help exits 0 with the usage on stdout; --version prints package.json\'s version', async () => {
  for (const flag of ['--help', '-h', 'help']) {
    const { stdout } = await run(process.execPath, [BIN, flag]);
    assert.match(stdout, /^usage:\n {2}netwatch snapshot/);
  }
  const { stdout } = await run(process.execPath, [BIN, 'serve', '--help']);
  assert.match(stdout, /netwatch serve \[--port 9273\]/);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal((await run(process.execPath, [BIN, '--version'])).stdout, `netwatch ${pkg.version}\n`);
  // No command at all is a usage error.
  await assert.rejects(run(process.execPath, [BIN]), (e: Failed) => e.code === 2 && /^usage:/.test(e.stderr));
});

test('netwatch: an unknown option or command is one clean line, then the usage, exit 2', async () => {
  const cases: Array<[string[], string]> = [
    [['--frob'], "netwatch: unknown option '--frob'"],
    [['snapshot', '--frob'], "netwatch: snapshot: unknown option '--frob'"],
    [['snapshot', '--port', '80'], "netwatch: snapshot: unknown option '--port'"],
    [['serve', '--port'], "netwatch: serve: option '--port <value>' argument missing"],
    [['snapshot', 'extra'], "netwatch: snapshot: unexpected argument 'extra'"],
    [['frobnicate'], "netwatch: unknown command 'frobnicate'"],
  ];
  for (const [args, line] of cases) {
    await assert.rejects(run(process.execPath, [BIN, ...args]), (e: Failed) => {
      const [first, second] = e.stderr.split('\n');
      assert.equal(e.code, 2, args.join(' '));
      assert.equal(first, line);
      assert.equal(second, 'usage:');
      assert.doesNotMatch(e.stderr, /\n\s+at |ERR_PARSE_ARGS/, 'no stack, no error code');
      return true;
    });
  }
});

test('netwatch snapshot without --json: a readable summary of interfaces, health, sockets and processes', async () => {
  const { server } = await loopbackPair();
  const { stdout } = await run(process.execPath, [BIN, 'snapshot', '--no-probes']);
  const lines = stdout.split('\n');
  assert.match(lines[0]!, /^netwatch on \S+ \(linux\) at \d{4}-\d\d-\d\dT[\d:.]+Z, rates over 1 s$/);
  assert.match(stdout, /\n {2}lo +Loopback +up +[\d.]+ [kMG]?B\/s +[\d.]+ [kMG]?B\/s +127\.0\.0\.1\/8/);
  assert.match(stdout, /\n {2}gateway +\S+ via \S+: probe unavailable: probes turned off/);
  assert.match(stdout, /\nConnections: \d+ sockets \(TCP ESTAB \d+/);
  const row = lines.find((l) => l.trim().startsWith(`${server.child.pid} `));
  assert.ok(row, `a row for the server process:\n${stdout}`);
  assert.match(row, /nwtest-server +[\d.]+ [kMG]B\/s/, 'its receive rate is real after two samples');
  assert.doesNotMatch(stdout, /^\{/, 'not JSON');
});

test('netwatch serve on a port in use: one line, exit 1, and the process ends (no heartbeat left running)', async () => {
  const blocker = net.createServer().listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--no-probes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const [code, signal] = await once(child, 'exit') as [number | null, string | null];
    clearTimeout(timer);
    assert.equal(signal, null, `still running after 10 s: ${err}`);
    assert.equal(code, 1);
    assert.equal(err, `netwatch serve: cannot listen on 127.0.0.1:${port}: the port is in use (another netwatch serve?): choose another with --port\n`);
    assert.equal(out, '');
    assert.ok(Date.now() - t0 < 5000, `exited after ${Date.now() - t0} ms`);
  } finally {
    blocker.close();
  }
});

test('netwatch serve --replay of a file with no valid snapshot exits 2 with the reason; a missing file too', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-cli-'));
  try {
    const notJson = path.join(dir, 'torn.jsonl');
    fs.writeFileSync(notJson, '{"version":1,"ts":17\n');
    const wrong = path.join(dir, 'wrong.jsonl');
    fs.writeFileSync(wrong, '{"type":"system","ts":1}\n{"type":"socket"}\n');
    await assert.rejects(run(process.execPath, [BIN, 'serve', '--port', '0', '--replay', notJson], { timeout: 10_000 }),
      (e: Failed) => e.code === 2 && new RegExp(`^netwatch serve: no valid snapshot in ${notJson} \\(none of 1 lines; line 1: .*JSON`).test(e.stderr) && e.stdout === '');
    await assert.rejects(run(process.execPath, [BIN, 'serve', '--port', '0', '--replay', wrong], { timeout: 10_000 }),
      (e: Failed) => e.code === 2 && /none of 2 lines; line 1: version: /.test(e.stderr) && e.stderr.split('\n').length === 2);
    await assert.rejects(run(process.execPath, [BIN, 'serve', '--port', '0', '--replay', path.join(dir, 'absent.jsonl')], { timeout: 10_000 }),
      (e: Failed) => e.code === 2 && /^netwatch serve: ENOENT: no such file or directory/.test(e.stderr));
    await assert.rejects(run(process.execPath, [BIN, 'record', path.join(dir, 'no', 'such', 'dir.jsonl')], { timeout: 10_000 }),
      (e: Failed) => e.code === 2 && /^netwatch record: ENOENT/.test(e.stderr));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The system Node on Debian 12 is 20; the project runs on the node@24 devDependency.
const OLD_NODE = '/usr/bin/node';
const oldNodeVersion = fs.existsSync(OLD_NODE) ? execFileSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).trim() : null;
const oldNodeSkip = !oldNodeVersion ? `no ${OLD_NODE} here` : Number(oldNodeVersion.slice(1).split('.')[0]) >= 24 ? `${OLD_NODE} is ${oldNodeVersion}, not older than 24` : false;

test('bin/netwatch.js under a Node older than 24 says which Node it needs, not ERR_UNKNOWN_FILE_EXTENSION', { skip: oldNodeSkip }, async () => {
  await assert.rejects(run(OLD_NODE, [BIN, 'snapshot', '--json']), (e: Failed) => {
    assert.equal(e.code, 1);
    assert.equal(e.stderr, `netwatch needs Node 24 or newer (this is Node ${oldNodeVersion!.slice(1)}, ${OLD_NODE}). In the checkout, \`npx netwatch …\` runs it on the project's own Node 24 (the node devDependency).\n`);
    return true;
  });
});

test('netwatch serve in a checkout without dist/renderer builds the dashboard and serves it', { timeout: 120_000 }, async () => {
  // A copy of the sources as a fresh clone has them (no dist/), sharing this checkout's node_modules.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-nodist-'));
  kids.push({ kill: () => fs.rmSync(dir, { recursive: true, force: true }) });
  for (const p of ['bin', 'electron', 'shared', 'renderer', 'package.json', 'vite.config.ts', 'svelte.config.js', 'tsconfig.json']) {
    fs.cpSync(path.join(ROOT, p), path.join(dir, p), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  assert.equal(fs.existsSync(path.join(dir, 'dist')), false);
  const child = spawn(process.execPath, [path.join(dir, 'bin', 'netwatch.js'), 'serve', '--port', '0', '--no-probes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  kids.push(child);
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
    child.stdout.on('data', (d) => { out += d; const m = /http:\/\/\S+?:\d+\//.exec(out); if (m) resolve(m[0]); });
  });
  assert.match(err, /no dashboard in .*dist\/renderer yet; building it/);
  assert.ok(fs.existsSync(path.join(dir, 'dist', 'renderer', 'index.html')));
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  const script = /<script[^>]+src="\.\/(assets\/[^"]+\.js)"/.exec(html);
  assert.ok(script, html);
  const asset = await fetch(url + script[1]);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type') ?? '', /javascript/);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
});

test('record on a full disk stopped with an unhandled ENOSPC stack: now a clear message, exit 1, and only whole lines', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-full-'));
  const copy = path.join(os.tmpdir(), `nw-full-${process.pid}.jsonl`);
  try {
    // A 64 KiB tmpfs, mounted in a mount namespace of its own (gone with it): full after a few snapshots.
    const script = 'mount -t tmpfs -o size=64k tmpfs "$0" && "$1" "$2" record "$0/rec.jsonl" --interval 0.25 --no-probes; rc=$?; cp "$0/rec.jsonl" "$3"; exit $rc';
    const r = await run('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, dir, process.execPath, BIN, copy]).then(() => null, (e: { code: number; stderr: string }) => e);
    assert.ok(r, 'record exits non-zero');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^netwatch record: stopped: no space left on the device \(ENOSPC\); .*rec\.jsonl keeps the (\d+) whole snapshots written before\n$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const text = fs.readFileSync(copy, 'utf8');
    assert.ok(text.endsWith('\n'), 'the last line is whole');
    const lines = text.trim().split('\n');
    assert.equal(lines.length, Number(/keeps the (\d+)/.exec(r.stderr)![1]));
    for (const l of lines) SnapshotSchema.parse(JSON.parse(l));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(copy, { force: true });
  }
});

test('as nobody, a missing ping read as "permission denied" (a PATH directory of root\'s refused the search): now "not installed"', async () => {
  const code = `import { nodeOs } from ${JSON.stringify(path.join(ROOT, 'electron/collector/os.ts'))};
    import { createLinuxSources } from ${JSON.stringify(path.join(ROOT, 'electron/collector/linux/index.ts'))};
    const r = await createLinuxSources(nodeOs, { helperPath: null }).ping('127.0.0.1');
    console.log(JSON.stringify(r));`;
  // /root is mode 700: nobody may not search it. No directory here holds ping, so nothing is sent.
  const { stdout } = await run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', code],
    { env: { PATH: '/root/.cargo/bin:/nonexistent' }, cwd: '/' });
  assert.deepEqual(JSON.parse(stdout), { ok: false, status: { state: 'unavailable', reason: 'ping: not installed' } });
});
