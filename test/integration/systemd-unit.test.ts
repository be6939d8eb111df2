// packaging/systemd/netwatch-exporter.service: systemd-analyze verify passes with no warning, its
// sandbox scores as systemd-analyze security rates it, and its ExecStart runs as the unit would run
// it — an unprivileged user holding only CAP_NET_RAW and CAP_NET_ADMIN, the token from a file only that
// user reads — serving metrics with the socket-destroy events the capability is for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, unprivilegedProblem } from '../helpers.ts';
import { BIN } from './exporter-host.ts';

const UNIT = path.join(ROOT, 'packaging', 'systemd', 'netwatch-exporter.service');
const text = fs.readFileSync(UNIT, 'utf8');
const skip = spawnSync('systemd-analyze', ['--version']).status === 0 ? false : 'systemd-analyze missing: no systemd on this machine (Debian package systemd)';
const directive = (k: string) => [...text.matchAll(new RegExp(`^${k}=(.*)$`, 'gm'))].map((m) => m[1]!);

/** The unit as installed from this checkout: ExecStart names this checkout's netwatch (verify checks it exists). */
function localCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-unit-'));
  const f = path.join(dir, 'netwatch-exporter.service');
  fs.writeFileSync(f, text.replace('/usr/local/bin/netwatch', BIN));
  return f;
}

test('systemd-analyze verify: no error and no warning', { skip }, () => {
  const r = spawnSync('systemd-analyze', ['verify', localCopy()], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', 'a warning (an unknown or misspelt directive is only that) fails too');
  const bad = localCopy();
  fs.writeFileSync(bad, fs.readFileSync(bad, 'utf8').replace('NoNewPrivileges=yes', 'NoNewPrivilege=yes'));
  assert.match(spawnSync('systemd-analyze', ['verify', bad], { encoding: 'utf8' }).stderr, /Unknown key/, 'the check can fail');
});

test('only CAP_NET_RAW and CAP_NET_ADMIN; reload is SIGHUP; sandbox rated by systemd-analyze security', { skip }, () => {
  assert.deepEqual(directive('AmbientCapabilities'), ['CAP_NET_RAW CAP_NET_ADMIN']);
  assert.deepEqual(directive('CapabilityBoundingSet'), ['CAP_NET_RAW CAP_NET_ADMIN']);
  assert.deepEqual(directive('ExecReload'), ['/bin/kill -HUP $MAINPID']);
  assert.deepEqual(directive('KillMode'), ['mixed']);
  const r = spawnSync('systemd-analyze', ['security', '--offline=yes', localCopy()], { encoding: 'utf8' });
  const level = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout)?.[1]);
  console.log(`# systemd-analyze security: exposure ${level} (0 = locked down, 10 = unprotected)`);
  assert.ok(level <= 3, `exposure ${level}`);
});

const DROPIN = path.join(ROOT, 'packaging', 'systemd', 'netwatch-exporter.service.d', 'attribution.conf');
/** `CAP_A CAP_B` → `+a,+b` for setpriv. */
const capArgs = (caps: string[]) => caps.flatMap((c) => c.split(' ')).map((c) => `+${c.replace(/^CAP_/, '').toLowerCase()}`).join(',');

for (const withDropin of [false, true]) {
  test(`the ExecStart as the unit runs it: nobody with the unit's ambient capabilities${withDropin ? ' and attribution.conf\'s (a root process attributed)' : ''}, token file mode 600`, { skip: unprivilegedProblem() ?? false }, async () => {
    const caps = capArgs([...directive('AmbientCapabilities'), ...(withDropin ? [/^AmbientCapabilities=(.*)$/m.exec(fs.readFileSync(DROPIN, 'utf8'))![1]!] : [])]);
    const rootPeer = spawn(process.execPath, [path.join(ROOT, 'test', 'integration', 'peers', 'hostile-name.ts'), 'nwunit-peer'], { stdio: 'ignore' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-unit-run-'));
    const token = path.join(dir, 'token');
    fs.writeFileSync(token, 'unit-token-0123456789abcdef\n', { mode: 0o600 });
    fs.chownSync(token, 65534, 65534);
    fs.chmodSync(dir, 0o755);
    const exec = directive('ExecStart')[0]!.split(' ').slice(1).map((a) => a.replace('%d', dir));
    // Loopback and an ephemeral port: the test must not listen on this machine's other addresses.
    exec.splice(exec.indexOf('--host'), 2, '--host', '127.0.0.1');
    exec.splice(exec.indexOf('--port'), 2, '--port', '0');
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', `--inh-caps=${caps}`, `--ambient-caps=${caps}`,
      process.execPath, BIN, ...exec, '--no-probes'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => { out += d; const m = /(http:\S+\/metrics)/.exec(out); if (m) resolve(m[1]!); });
        child.once('exit', (c) => reject(new Error(`exited ${c}`)));
      });
      let body = '';
      for (let i = 0; i < 40 && !/source="connections"\} 1/.test(body); i++) {
        await new Promise((r) => setTimeout(r, 250));
        body = await (await fetch(url, { headers: { Authorization: 'Bearer unit-token-0123456789abcdef' } })).text();
      }
      assert.match(body, /^netwatch_source_up\{source="connections"\} 1$/m);
      assert.match(body, /^netwatch_short_lived_flows_counted 1$/m, 'socket-destroy events followed as nobody');
      assert.equal((await fetch(url)).status, 401);
      // The unit alone sees no other user's process; the drop-in's two capabilities let it attribute them.
      for (let i = 0; i < 20 && withDropin && !/app="nwunit-peer"/.test(body); i++) {
        await new Promise((r) => setTimeout(r, 250));
        body = await (await fetch(url, { headers: { Authorization: 'Bearer unit-token-0123456789abcdef' } })).text();
      }
      assert.equal(/app="nwunit-peer"/.test(body), withDropin, withDropin ? 'attributed with the drop-in' : 'not attributed without it');
    } finally {
      rootPeer.kill();
      const code = child.exitCode ?? await new Promise<number | null>((r) => { child.once('exit', (c) => r(c)); child.kill('SIGTERM'); });
      assert.equal(code, 0, 'SIGTERM: a clean exit');
    }
  });
}
