// Bad conditions on a real machine: a missing tool, an unreadable /proc file, a process that exits
// mid-scan. The real OS is used, with one failure injected at a time; the rest of the snapshot arrives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { SnapshotSchema, defaultConfig, type Snapshot } from '../../../../shared/index.ts';
import { nodeOs, type OsIO } from '../../../../electron/collector/os.ts';
import { createLinuxSources } from '../../../../electron/collector/linux/index.ts';
import { Engine } from '../../../../electron/collector/engine/engine.ts';
import { DEFAULT_HELPER } from '../../../../electron/collector/platform.ts';
import fs from 'node:fs';

interface Faults { missing?: string[]; unreadable?: string[]; onListDir?: (p: string) => void }

function faulty(f: Faults): OsIO {
  const denied = (p: string) => Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
  return {
    ...nodeOs,
    run: (cmd, args, o) => (f.missing?.some((m) => cmd.endsWith(m))
      ? Promise.resolve({ ok: false, kind: 'not-found', message: `spawn ${cmd} ENOENT` })
      : nodeOs.run(cmd, args, o)),
    spawnLines: (cmd, args, onLine, onExit) => {
      if (f.missing?.some((m) => cmd.endsWith(m))) {
        queueMicrotask(() => onExit(null, `${cmd}: not installed`));
        return { write() {}, stop() {} };
      }
      return nodeOs.spawnLines(cmd, args, onLine, onExit);
    },
    readText: (p) => { if (f.unreadable?.includes(p)) throw denied(p); return nodeOs.readText(p); },
    listDir: (p) => { f.onListDir?.(p); return nodeOs.listDir(p); },
    // Never probe the real DNS server from a test: this machine may only talk to itself.
    dnsQuery: async () => ({ ok: false, reason: 'not queried in tests' }),
    // Nor the real gateway over TCP (the probe's fallback where ping is missing).
    tcpConnect: async () => ({ ok: false, reason: 'not connected in tests' }),
  };
}

async function snapshotWith(os: OsIO, opts: { helper?: boolean; probes?: boolean } = {}): Promise<Snapshot> {
  const helper = opts.helper !== false && fs.existsSync(DEFAULT_HELPER) ? DEFAULT_HELPER : null;
  const engine = new Engine({ sources: createLinuxSources(os, { helperPath: helper }), os, config: { ...defaultConfig(), probes: opts.probes ?? false }, emit: () => {}, listInSnapshots: true });
  engine.setVisible(true);
  await engine.pollAll();
  await engine.pollAll();
  engine.stop();
  const snap = engine.snapshot();
  assert.ok(SnapshotSchema.safeParse(snap).success, 'still a valid snapshot');
  return snap;
}

test('missing ss (and no helper): connections unavailable with the reason, interfaces still there', async () => {
  const s = await snapshotWith(faulty({ missing: ['ss', 'nw-sockdiag'] }));
  assert.equal(s.sources.connections.state, 'unavailable');
  assert.match((s.sources.connections as { reason: string }).reason, /ss: not installed/);
  assert.equal(s.sources.interfaces.state, 'ok');
  assert.ok(s.interfaces.some((i) => i.name === 'lo'));
  assert.equal(s.sources.system.state, 'ok');
});

test('missing ping: the gateway probe falls back and, with no answer either way, says why; nothing else is affected', async () => {
  const s = await snapshotWith(faulty({ missing: ['ping'] }), { probes: true });
  assert.ok(s.health.gateway, 'the gateway is still detected from /proc/net/route');
  assert.deepEqual(s.health.gatewayProbe!.status, { state: 'error', message: 'no reply: ping unavailable (ping: not installed), no TCP answer on ports 53/80/443, DNS not queried in tests' });
  assert.equal(s.health.gatewayProbe!.method, null, 'no answer yet by any method');
  assert.equal(s.sources.interfaces.state, 'ok');
});

test('missing ip: interfaces say their virtual kinds are unknown (the kind was dropped while the source said ok)', async () => {
  const s = await snapshotWith(faulty({ missing: ['ip'] }));
  assert.equal(s.sources.interfaces.state, 'unavailable');
  assert.match((s.sources.interfaces as { reason: string }).reason, /^ip: not installed: virtual kind \(veth, bridge, tun…\) unknown for .*\blo\b/);
  assert.ok(s.interfaces.some((i) => i.name === 'lo' && i.type === 'Loopback'), 'the interfaces and their rates are still there');
});

test('missing iw: Wi-Fi unavailable with the reason', async () => {
  const sources = createLinuxSources(faulty({ missing: ['iw'] }), { helperPath: null });
  const r = await sources.wifi(['wlan0']);
  assert.deepEqual(r, { ok: false, status: { state: 'unavailable', reason: 'iw: not installed' } });
});

test('unreadable /proc/net/snmp and /proc/net/dev: those sources unavailable, the rest arrives', async () => {
  const s = await snapshotWith(faulty({ unreadable: ['/proc/net/snmp', '/proc/net/dev'] }));
  assert.deepEqual(s.sources.tcpMetrics, { state: 'unavailable', reason: '/proc/net/snmp: permission denied' });
  assert.deepEqual(s.sources.interfaces, { state: 'unavailable', reason: '/proc/net/dev: permission denied' });
  assert.equal(s.tcpMetrics, null);
  assert.equal(s.sources.system.state, 'ok');
  assert.equal(s.sources.disks.state, 'ok');
  assert.equal(s.sources.connections.state, 'ok');
  assert.ok(s.connections.length > 0, 'sockets are still listed');
  assert.equal(s.attribution.coverage.external, null, 'no interface totals: no coverage claimed');
});

test('a process that exits while its fds are being walked leaves no trace and no crash', async () => {
  const child = spawn(process.execPath, ['-e', "require('net').createServer().listen(0,'127.0.0.1');setInterval(()=>{},1000)"], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 400));
  let killed = false;
  const os = faulty({
    onListDir: (p) => {
      if (p === `/proc/${child.pid}/fd` && !killed) {
        killed = true;
        child.kill('SIGKILL');
        // Wait for the kernel to reap it, so the walk really finds it gone.
        const until = Date.now() + 2000;
        while (fs.existsSync(`/proc/${child.pid}/fd/0`) && Date.now() < until) { /* spin */ }
      }
    },
  });
  const s = await snapshotWith(os);
  assert.ok(killed, 'the walk reached the child');
  assert.equal(s.sources.connections.state, 'ok');
  assert.ok(!s.processes.some((p) => p.pid === child.pid));
});
