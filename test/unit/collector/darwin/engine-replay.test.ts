// The whole darwin engine on Linux: its command runner replays real macOS captures. The captures come
// from different Macs (no single machine's full set is public), so each assertion names its source;
// commands with no capture answer "not installed", and the snapshot must say so for that source only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../helpers.ts';
import { nodeOs, type OsIO, type RunResult } from '../../../../electron/collector/os.ts';
import { createSources } from '../../../../electron/collector/platform.ts';
import { Engine } from '../../../../electron/collector/engine/engine.ts';
import { SnapshotSchema, defaultConfig, type Snapshot } from '../../../../shared/index.ts';

const CAPTURES: Record<string, string> = {
  'netstat -ibnW': 'netstat-ibdnW--gopsutil-not-truncated.txt',
  'networksetup -listallhardwareports': 'networksetup-listallhardwareports--alfred-network-workflow-issue20.txt',
  'netstat -anv -p tcp': 'netstat-v-n-p-tcp-with-pid--node-netstat-issue26.txt',
  'route -n get default': 'route-get-host--whichway.txt',
  'scutil --dns': 'scutil-dns--automattic-team51-issue161.txt',
  'system_profiler SPAirPortDataType -json': 'system_profiler-SPAirPortDataType-json-15.5--wifi-heatmapper.txt',
  'vm_stat': 'vm_stat--akka-cluster-lb-issue2.txt',
  'mount': 'mount--jc-osx-10.14.6-b.txt',
  // Same Mac as route-get-host--whichway.txt: the fallback must agree with route.
  'netstat -rn -f inet': 'netstat-rn-f-inet-vpn--whichway.txt',
  'sysctl vm.swapusage': 'sysctl-vm.swapusage--jc-osx-10.14.6.txt',
  'ping -n -c 1 -t 2 192.168.6.1': 'ping-c3-hostname--jc-osx-10.14.6.txt',
  // Captured as `nettop -P -L 1 -J bytes_in,bytes_out`: -x and -t external keep the same CSV shape.
  'nettop -P -L 1 -x -t external -J bytes_in,bytes_out': 'nettop-L1-P-J--nettool-issue7.txt',
};

function replay(failures: Record<string, Extract<RunResult, { ok: false }>> = {}): OsIO {
  const noFiles = () => { throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); };
  return {
    ...nodeOs,
    run: async (cmd, args) => {
      const key = [cmd, ...args].join(' ');
      if (failures[key]) return failures[key]!;
      const f = CAPTURES[key];
      return f ? { ok: true, stdout: fixture('darwin', f) } : { ok: false, kind: 'not-found', message: `spawn ${cmd} ENOENT` };
    },
    readText: noFiles, listDir: noFiles, readLink: noFiles,
    networkInterfaces: () => ({}),
    spawnLines: () => { throw new Error('darwin sources start no long-running tools'); },
    dnsQuery: async () => ({ ok: false, reason: 'no DNS server in a replay' }),
    tcpConnect: async () => ({ ok: false, reason: 'no gateway in a replay' }),
  };
}

async function run(os: OsIO): Promise<Snapshot> {
  const engine = new Engine({ sources: createSources(os, 'darwin'), os, config: defaultConfig(), emit: () => {}, listInSnapshots: true });
  engine.setVisible(true);
  engine.followDestroyEvents();
  await engine.pollAll();
  await engine.pollAll();
  engine.stop();
  const snap = engine.snapshot();
  const v = SnapshotSchema.safeParse(snap);
  assert.ok(v.success, v.success ? '' : JSON.stringify(v.error.issues.slice(0, 3)));
  return snap;
}

test('two samples of replayed captures make a valid darwin snapshot', async () => {
  const s = await run(replay());
  assert.equal(s.platform, 'darwin');
  // Interfaces: netstat -ibdnW (gopsutil) typed with networksetup (another Mac: en0 is its Wi-Fi).
  const by = new Map(s.interfaces.map((i) => [i.name, i]));
  assert.equal(by.get('en0')!.counters.rxBytes, 7295722068);
  assert.equal(by.get('en0')!.type, 'WiFi');
  assert.equal(by.get('en0')!.mac, 'a8:66:7f:dd:ee:ff');
  assert.equal(by.get('lo0')!.type, 'Loopback');
  assert.deepEqual([by.get('gif0')!.type, by.get('gif0')!.virtualKind, by.get('gif0')!.up], ['Virtual', 'gif', false]);
  assert.equal(by.get('en0')!.rxBps, 0, 'the same capture twice: no growth, no invented rate');
  // Connections with pids from netstat -anv; names need ps, which has no capture.
  const c = s.connections.find((x) => x.local === '192.168.1.191:52044')!;
  assert.deepEqual([c.remote, c.state, c.pid, c.protocol], ['31.13.66.35:443', 'ESTAB', 9811, 'tcp']);
  assert.deepEqual([s.tcpStates.ESTAB, s.tcpStates['CLOSE-WAIT']], [5, 2]);
  // Per-process bytes come from nettop (no per-socket counters on macOS); names too, where ps has none.
  assert.equal(s.attribution.method, 'measured');
  assert.deepEqual(s.processes.map((p) => [p.pid, p.name, p.estimated]).find((p) => p[0] === 533), [533, 'apsd', false]);
  // nettop's per-process counters include UDP (parsers.test.ts: its flow rows list udp4/udp6 under a process).
  assert.deepEqual(s.attribution.udp, { credited: true, reason: null });
  // Health: route get (whichway), scutil --dns (team51), ping (jc).
  assert.deepEqual(s.health.gateway, { ip: '192.168.6.1', interface: 'en7' });
  assert.deepEqual(s.health.dns, { server: '75.75.75.75', source: 'scutil --dns', stub: false });
  assert.equal(s.health.gatewayProbe!.rttMs, 34.67);
  assert.equal(s.health.gatewayProbe!.status.state, 'ok');
  assert.deepEqual(s.health.dnsProbe!.status, { state: 'error', message: 'no DNS server in a replay' });
  // Wi-Fi from system_profiler (macOS 15.5): osascript (CoreWLAN) has no capture, so the fallback answers.
  assert.deepEqual(s.wifi.map((w) => [w.interface, w.ssid, w.signalDbm, w.channel]), [['en0', 'SSID-2', -40, 6]]);
  // Sources with no capture or not read yet on macOS say why, and nothing else suffers.
  assert.deepEqual(s.sources.system, { state: 'unavailable', reason: 'sysctl: not installed' });
  assert.equal(s.sources.tcpMetrics.state, 'unavailable');
  // Disks: the device list from `mount` (jc), sizes from statfs(2) of the machine running the test ('/').
  assert.equal(s.sources.disks.state, 'ok');
  assert.deepEqual(s.disks.map((d) => [d.device, d.mount, d.fsType, d.readBytes]), [['/dev/disk1s1', '/', 'apfs', null]]);
  assert.ok(s.disks[0]!.totalBytes > 0 && s.disks[0]!.usedBytes <= s.disks[0]!.totalBytes);
  assert.match((s.sources.destroyEvents as { reason: string }).reason, /no socket-destroy feed/);
  for (const k of ['interfaces', 'connections', 'gateway', 'dns', 'wifi'] as const) assert.equal(s.sources[k].state, 'ok', k);
});

test('a failing command makes only its own source unavailable', async () => {
  const s = await run(replay({
    'netstat -anv -p tcp': { ok: false, kind: 'permission', message: 'EACCES' },
    'route -n get default': { ok: false, kind: 'timeout', message: 'killed after 3000 ms' },
    'netstat -rn -f inet': { ok: false, kind: 'timeout', message: 'killed after 3000 ms' },
    'system_profiler SPAirPortDataType -json': { ok: false, kind: 'exit', message: 'exit code 1' },
  }));
  assert.deepEqual(s.sources.connections, { state: 'unavailable', reason: 'netstat: permission denied' });
  assert.deepEqual(s.sources.gateway, { state: 'unavailable', reason: 'route: timed out; netstat: timed out' });
  assert.deepEqual(s.sources.wifi, { state: 'unavailable', reason: 'osascript: not installed; system_profiler: exit code 1' });
  assert.equal(s.sources.interfaces.state, 'ok');
  assert.equal(s.sources.dns.state, 'ok');
  assert.ok(s.interfaces.length > 0);
});

test('route failing: the gateway comes from netstat -rn, the same as route would have said', async () => {
  const s = await run(replay({ 'route -n get default': { ok: false, kind: 'not-found', message: 'spawn route ENOENT' } }));
  assert.equal(s.sources.gateway.state, 'ok');
  assert.deepEqual(s.health.gateway, { ip: '192.168.6.1', interface: 'en7' });
});

test('nettop failing: per-process bytes fall back to the estimate, and the snapshot says why', async () => {
  const s = await run(replay({ 'nettop -P -L 1 -x -t external -J bytes_in,bytes_out': { ok: false, kind: 'timeout', message: 'killed after 5000 ms' } }));
  assert.deepEqual(s.sources.processes, { state: 'unavailable', reason: 'nettop: timed out' });
  assert.equal(s.attribution.method, 'estimated');
  assert.equal(s.attribution.udp?.credited, false);
  assert.equal(s.sources.connections.state, 'ok');
});

test('Wi-Fi: CoreWLAN through osascript comes first, and system_profiler is then not run', async () => {
  const asked: string[] = [];
  const base = replay();
  // The script's own JSON (see parsers.test.ts), with the readings of the Mac in the 15.5 capture.
  const jxa = JSON.stringify([{ interface: 'en0', power: true, ssid: null, bssid: null, rssi: -40, noise: -97, txRate: 144, channel: 6, band: 1 }]);
  const s = await run({
    ...base,
    run: async (cmd, args, o) => {
      asked.push(cmd);
      // No shell: the script travels as one argument.
      if (cmd === 'osascript') { assert.deepEqual(args.slice(0, 3), ['-l', 'JavaScript', '-e']); return { ok: true, stdout: jxa + '\n' }; }
      return base.run(cmd, args, o);
    },
  });
  assert.deepEqual(s.wifi.map((w) => [w.interface, w.ssid, w.ssidHidden, w.signalDbm, w.frequencyMhz]), [['en0', null, true, -40, 2437]]);
  assert.ok(!asked.includes('system_profiler'));
});
