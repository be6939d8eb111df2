// macOS sources: netstat, networksetup, route, scutil, vm_stat/sysctl, system_profiler, ping — each
// run without a shell and with a timeout, each parsed by a pure function in this folder.
import { failed, ok, unavailable, type SourceStatus, type TcpState } from '../../../shared/index.ts';
import { describeFailure, type OsIO, type RunResult } from '../os.ts';
import { bad, good, type DiskReading, type InterfaceMeta, type Sources } from '../sources.ts';
import { emptySocket, type SocketSample } from '../sockets.ts';
import { countersOf, parseNetstatLinks, resolveTruncatedNames } from './netstat-ib.ts';
import { classifyDarwin, parseHardwarePorts } from './hardware-ports.ts';
import { parseNetstatAn, type NetstatSocket } from './netstat-an.ts';
import { parseLsofFields } from './lsof.ts';
import { parseRouteGet } from './route-get.ts';
import { darwinCapture } from './capture.ts';
import { parseScutilDns } from './scutil-dns.ts';
import { memoryFromVmStat, parseSwapUsage, parseVmStat } from './vm-stat.ts';
import { COREWLAN_SCRIPT, parseCoreWlan, parseSystemProfilerAirport } from './wifi.ts';
import { parseNettop } from './nettop.ts';
import { parseDarwinMount } from './mount.ts';
import { identify } from '../app-identity.ts';
import { parseNetstatRoutes, primaryDefault } from './netstat-rn.ts';
import { parsePing } from '../ping.ts';


/** netstat's state names to the contract's (ss) names. */
const STATES: Record<string, TcpState> = {
  ESTABLISHED: 'ESTAB', LISTEN: 'LISTEN', SYN_SENT: 'SYN-SENT', SYN_RCVD: 'SYN-RECV', FIN_WAIT_1: 'FIN-WAIT-1',
  FIN_WAIT_2: 'FIN-WAIT-2', TIME_WAIT: 'TIME-WAIT', CLOSED: 'CLOSE', CLOSE_WAIT: 'CLOSE-WAIT', LAST_ACK: 'LAST-ACK', CLOSING: 'CLOSING',
};

/** Slow or rarely changing facts are re-read at most this often. */
const SLOW_MS = 60_000;

/** `capturePath`: the nw-capture helper; null: not built (the reason is reported). */
export function createDarwinSources(os: OsIO, opts: { capturePath?: string | null } = {}): Sources {
  const cache = new Map<string, { at: number; r: RunResult }>();
  /** Runs a command, reusing its output for `maxAgeMs` (system_profiler takes seconds; ports rarely change). */
  const run = async (cmd: string, args: string[], maxAgeMs = 0, timeoutMs = 5000): Promise<RunResult> => {
    const key = [cmd, ...args].join(' ');
    const hit = cache.get(key);
    if (hit && os.now() - hit.at < maxAgeMs) return hit.r;
    const r = await os.run(cmd, args, { timeoutMs });
    if (maxAgeMs > 0) cache.set(key, { at: os.now(), r });
    return r;
  };
  const capture = opts.capturePath ? darwinCapture(os, opts.capturePath) : null;
  const text = (cmd: string, r: RunResult): string | SourceStatus => (r.ok ? r.stdout : unavailable(describeFailure(cmd, r)));
  let names = new Map<number, string>();
  /** pid → executable path as macOS ps prints `comm` (the full path), for the .app bundle name. */
  let paths = new Map<number, string>();

  async function processNames(): Promise<void> {
    const r = await run('ps', ['-axo', 'pid=,comm='], 0, 3000);
    if (!r.ok) return;
    names = new Map();
    paths = new Map();
    for (const line of r.stdout.split('\n')) {
      const m = /^\s*(\d+)\s+(.+)$/.exec(line);
      if (!m) continue;
      const comm = m[2]!.trim();
      names.set(Number(m[1]), comm.split('/').pop()!);
      if (comm.startsWith('/')) paths.set(Number(m[1]), comm);
    }
  }

  const sample = (s: NetstatSocket, pid: number | null): SocketSample => {
    const x = emptySocket();
    x.protocol = s.protocol;
    x.state = s.protocol === 'udp' ? (s.remote ? 'ESTAB' : 'UNCONN') : STATES[s.state ?? ''] ?? 'CLOSE';
    x.localIp = s.local!.ip;
    x.localPort = s.local!.port;
    if (s.remote) { x.remoteIp = s.remote.ip; x.remotePort = s.remote.port; }
    x.pid = pid;
    x.command = pid === null ? null : names.get(pid) ?? null;
    return x;
  };

  return {
    platform: 'darwin',

    async interfaces() {
      const t = text('netstat', await run('netstat', ['-ibnW'], 0, 3000));
      if (typeof t !== 'string') return bad(t);
      let links = parseNetstatLinks(t);
      if (links.length === 0) return bad(failed('netstat -ibn: no interface rows'));
      const known = os.networkInterfaces();
      // A name Node does not know, or one printed twice, is a name netstat cut short.
      if (links.some((l) => !(l.name in known)) || new Set(links.map((l) => l.name)).size < links.length) {
        const order = await run('ifconfig', ['-l'], SLOW_MS, 3000);
        // Without the list, rows printed alike still stay apart (`vmnet#19`, `vmnet#20`).
        links = resolveTruncatedNames(links, order.ok ? order.stdout.trim().split(/\s+/) : []);
      }
      const hw = await run('networksetup', ['-listallhardwareports'], SLOW_MS, 5000);
      const ports = hw.ok ? parseHardwarePorts(hw.stdout) : new Map<string, string>();
      const counters = new Map();
      const meta = new Map<string, InterfaceMeta>();
      for (const l of links) {
        const c = countersOf(l);
        if (!c) continue;
        const a = known[l.name] ?? [];
        counters.set(l.name, c);
        meta.set(l.name, {
          ...classifyDarwin(l.name, ports.get(l.name)), ifindex: null, mac: l.mac, mtu: l.mtu, speedMbps: null,
          operstate: l.up ? 'up' : 'down', up: l.up,
          ipv4: a.filter((x) => x.family === 'IPv4').map((x) => x.cidr ?? x.address),
          ipv6: a.filter((x) => x.family === 'IPv6').map((x) => x.cidr ?? x.address),
        });
      }
      // netstat -ib prints if_data64 counters (u_int64_t).
      return good({ counters, meta, counterBits: 64 });
    },

    async sockets() {
      const [tcp, udp] = await Promise.all([run('netstat', ['-anv', '-p', 'tcp'], 0, 5000), run('netstat', ['-anv', '-p', 'udp'], 0, 5000)]);
      const t = text('netstat', tcp);
      if (typeof t !== 'string') return bad(t);
      const rows = [...parseNetstatAn(t), ...(udp.ok ? parseNetstatAn(udp.stdout) : [])].filter((s) => s.local);
      await processNames();
      let processes: SourceStatus = ok();
      // Older macOS prints no pid column: ask lsof who owns each endpoint.
      if (rows.some((s) => s.pid === null)) {
        const l = await run('lsof', ['-i', '-n', '-P', '-F', 'pcPnT'], 0, 5000);
        if (l.ok) {
          const owner = new Map<string, number>();
          for (const s of parseLsofFields(l.stdout)) if (s.local) owner.set(`${s.protocol}|${s.local.ip}|${s.local.port}|${s.remote?.ip}|${s.remote?.port}`, s.pid);
          for (const s of rows) s.pid ??= owner.get(`${s.protocol}|${s.local!.ip}|${s.local!.port}|${s.remote?.ip}|${s.remote?.port}`) ?? null;
        } else processes = unavailable(`no pid column in netstat and ${describeFailure('lsof', l)}`);
      }
      return good({ sockets: rows.map((s) => sample(s, s.pid)), processes, via: 'netstat -anv' });
    },

    processes: {
      name: (pid) => names.get(pid) ?? null,
      // macOS: the .app bundle (helpers inside it included) names the app; no argv is read here.
      app: (pid) => {
        const name = names.get(pid);
        if (name === undefined) return null;
        return identify({ exe: paths.get(pid) ?? null, argv: [], name, self: pid === process.pid || pid === process.ppid });
      },
      command: (pid) => paths.get(pid) ?? names.get(pid) ?? null,
    },

    async processTraffic() {
      // One sample of per-process byte counters on external interfaces (loopback excluded), as CSV.
      const t = text('nettop', await run('nettop', ['-P', '-L', '1', '-x', '-t', 'external', '-J', 'bytes_in,bytes_out'], 0, 5000));
      if (typeof t !== 'string') return bad(t);
      return good(new Map(parseNettop(t).processes.map((p) => [p.pid, { name: p.name, rx: p.bytesIn, tx: p.bytesOut }])));
    },

    async tcpCounters() { return bad(unavailable('TCP counters on macOS (netstat -s) are not read yet')); },

    async wifi(wireless) {
      // CoreWLAN via JXA first: fast and unprivileged. Where osascript fails (or prints something else),
      // system_profiler, which is unprivileged too but takes seconds: then once a minute at most.
      const jxa = await run('osascript', ['-l', 'JavaScript', '-e', COREWLAN_SCRIPT], 0, 5000);
      const fast = jxa.ok ? parseCoreWlan(jxa.stdout.trim()) : undefined;
      if (fast) return good(fast.filter((w) => wireless.includes(w.interface)));
      const why = jxa.ok ? 'osascript: unexpected output' : describeFailure('osascript', jxa);
      const sp = await run('system_profiler', ['SPAirPortDataType', '-json'], SLOW_MS, 20_000);
      if (!sp.ok) return bad(unavailable(`${why}; ${describeFailure('system_profiler', sp)}`));
      return good(parseSystemProfilerAirport(sp.stdout).filter((w) => wireless.includes(w.interface)));
    },

    async gateway() {
      const r = await run('route', ['-n', 'get', 'default'], 0, 3000);
      // route exits non-zero when there is no default route ("not in table").
      if (!r.ok && r.kind === 'exit') return good(null);
      if (r.ok) {
        const g = parseRouteGet(r.stdout);
        // A VPN holding the default route has no gateway address to probe: report its interface only.
        return good(g?.gateway ? { ip: g.gateway, interface: g.interface } : null);
      }
      // route itself failed (missing, denied, hung): the routing table says the same thing.
      const t = await run('netstat', ['-rn', '-f', 'inet'], 0, 3000);
      if (!t.ok) return bad(unavailable(`${describeFailure('route', r)}; ${describeFailure('netstat', t)}`));
      const d = primaryDefault(parseNetstatRoutes(t.stdout));
      return good(d?.gateway ? { ip: d.gateway, interface: d.interface } : null);
    },

    async dns() {
      const t = text('scutil', await run('scutil', ['--dns'], 0, 3000));
      if (typeof t !== 'string') return bad(t);
      const cfg = parseScutilDns(t);
      const servers = cfg.primary?.nameservers.length ? cfg.primary.nameservers : cfg.scoped.find((r) => r.nameservers.length)?.nameservers ?? [];
      const server = servers[0];
      return good(server ? { server, source: 'scutil --dns', stub: false, servers } : null);
    },

    routeFingerprint: () => '', // no cheap file to watch: re-detection runs on its 60 s timer

    async ping(ip) {
      // macOS: -t is the whole run's timeout in seconds (-W is per-packet, in ms).
      const r = await os.run('ping', ['-n', '-c', '1', '-t', '2', ip], { timeoutMs: 4000 });
      const out = r.ok ? r.stdout : r.kind === 'exit' ? r.stdout ?? '' : null;
      if (out === null) return bad(unavailable(describeFailure('ping', r as Extract<RunResult, { ok: false }>)));
      const p = parsePing(out);
      return p ? good(p) : bad(failed('ping: no statistics in output'));
    },

    async system() {
      const [vm, mem, swap] = await Promise.all([
        run('vm_stat', [], 0, 3000), run('sysctl', ['-n', 'hw.memsize'], SLOW_MS, 3000), run('sysctl', ['vm.swapusage'], 0, 3000),
      ]);
      if (!vm.ok) return bad(unavailable(describeFailure('vm_stat', vm)));
      if (!mem.ok) return bad(unavailable(describeFailure('sysctl', mem)));
      const v = parseVmStat(vm.stdout);
      const total = Number(mem.stdout.trim());
      if (!v || !Number.isSafeInteger(total) || total <= 0) return bad(failed('vm_stat / hw.memsize: unreadable output'));
      const cores = os.cpus().map((c) => ({ busy: c.times.user + c.times.nice + c.times.sys + c.times.irq, total: c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle }));
      const all = cores.reduce((a, c) => ({ busy: a.busy + c.busy, total: a.total + c.total }), { busy: 0, total: 0 });
      const l = os.loadavg();
      return good({
        cpu: { all, cores }, memory: memoryFromVmStat(v, total),
        swap: (swap.ok ? parseSwapUsage(swap.stdout) : undefined) ?? { totalBytes: 0, usedBytes: 0 },
        load: [l[0] ?? 0, l[1] ?? 0, l[2] ?? 0],
      });
    },

    async disks() {
      const t = text('mount', await run('mount', [], SLOW_MS, 3000));
      if (typeof t !== 'string') return bad(t);
      const out: DiskReading[] = [];
      for (const m of parseDarwinMount(t)) {
        let fs;
        try { fs = os.statfs(m.mount); } catch { continue; } // unmounted since, or not ours to stat
        out.push({ ...m, totalBytes: fs.totalBytes, usedBytes: Math.max(0, fs.totalBytes - fs.freeBytes), readBytes: null, writtenBytes: null });
      }
      return good(out);
    },

    destroyEvents(_onSocket, onStatus) {
      onStatus(unavailable('macOS offers no socket-destroy feed; short-lived flows land in unattributed'));
      return { stop() {} };
    },

    capture: capture ?? { unavailable: opts.capturePath === undefined ? 'no capture helper given to these sources' : 'nw-capture not built (install the Xcode command line tools: xcode-select --install, then npm run build:native)' },

    stop() { capture?.stop(); },
  };
}
