// Linux sources: /proc, /sys, `ip`, `iw`, `ping`, and native/nw-sockdiag (or `ss`) for sockets.
import { failed, ok, unavailable, type SourceStatus, type Wifi } from '../../../shared/index.ts';
import { describeFailure, type OsIO } from '../os.ts';
import { bad, good, type InterfaceMeta, type Result, type Sources } from '../sources.ts';
import type { SocketSample } from '../sockets.ts';
import { parseProcNetDev } from './proc-net-dev.ts';
import { classifyLinux, parseIpLinkJson, type LinkInfo, type SysfsHints } from './ip-link.ts';
import { parseSockdiagLine } from './sockdiag.ts';
import { SockdiagClient } from './sockdiag-client.ts';
import { parseSs, parseSsRecord } from './ss.ts';
import { parseProcNetUdp } from './proc-net-udp.ts';
import { InodeGenerations, ProcFdMap, effectiveUid, procHidepid, type LiveInodes } from './proc-fd.ts';
import { LinuxApps } from './apps.ts';
import { DesktopIndex, applicationDirs } from './desktop-entries.ts';
import { parseProcNetSnmp } from './proc-net-snmp.ts';
import { parseMeminfo, parseProcStatCpu } from './proc-stat.ts';
import { parseDiskstats, parseMounts } from './proc-diskstats.ts';
import { parseProcNetIpv6Route, parseProcNetRoute } from './proc-net-route.ts';
import { parseResolvConf, parseResolvectlStatus, RESOLVED_STUBS } from './resolv.ts';
import { parseProcNetArp } from './proc-net-arp.ts';
import { followResolved } from './resolved-monitor.ts';
import { parsePing } from '../ping.ts';
import { parseIwLink, parseProcNetWireless } from './iw.ts';
import { CaptureClient } from '../capture-client.ts';


/** A read error as a status: permission and absence are "unavailable", the rest "error". */
export function fileStatus(path: string, e: unknown): SourceStatus {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return unavailable(`${path}: permission denied`);
  if (code === 'ENOENT') return unavailable(`${path}: not present on this system`);
  return failed(`${path}: ${(e as Error).message}`);
}

/**
 * Kernels whose `unsigned long` is 32 bits: a driver's net_device_stats counters wrap at 4 GiB there.
 * On 64-bit kernels every /proc/net/dev counter is 64-bit, so a decrease is always a reset.
 */
const KERNEL_32 = /^(i[3-6]86|arm(v\d+.*)?|mips(el)?|ppc|s390|sh\d*|m68k|sparc|parisc|microblaze)$/;
export const counterBitsOf = (machine: string): 32 | 64 => (KERNEL_32.test(machine) ? 32 : 64);

export interface LinuxOptions {
  /** Path of the nw-sockdiag helper; null to use `ss` only. */
  helperPath: string | null;
  /** Path of the nw-capture helper; null: not built (the reason is reported); absent: not used here. */
  capturePath?: string | null;
  /** Where desktop entries are looked for (XDG_DATA_HOME, XDG_DATA_DIRS, HOME); process.env by default. */
  env?: Record<string, string | undefined>;
  /** Which pids are NetWatch itself; this process and its parent by default. */
  self?: { pid: number; ppid: number };
}

export function createLinuxSources(os: OsIO, opts: LinuxOptions): Sources {
  const fdMap = new ProcFdMap(os);
  const env = opts.env ?? process.env;
  const apps = new LinuxApps(os, fdMap, new DesktopIndex(os, applicationDirs(env, env['HOME'] ?? '/root')), opts.self ?? { pid: process.pid, ppid: process.ppid });
  const live = new InodeGenerations();
  let links = new Map<string, LinkInfo>();
  let linkNames = '';
  let linkReadAt = 0;
  /** Why `ip` gave no link kinds, or null. */
  let linkProblem: string | null = null;
  let useHelper = opts.helperPath !== null;
  const helper = opts.helperPath ? new SockdiagClient(os, opts.helperPath) : null;
  const capture = opts.capturePath ? new CaptureClient(os, opts.capturePath, { iface: 'any' }) : null;

  const read = <T>(path: string, parse: (t: string) => T): Result<T> => {
    try { return good(parse(os.readText(path))); } catch (e) { return bad(fileStatus(path, e)); }
  };
  const tryText = (path: string): string | null => { try { return os.readText(path).trim(); } catch { return null; } };

  /** Why sockets have no owner when no /proc read was refused: other users' processes hidden (hidepid). */
  function hiddenProcesses(unresolved: number): string | null {
    const hidepid = procHidepid(tryText('/proc/self/mountinfo') ?? '');
    // Root (CAP_SYS_PTRACE) sees through hidepid; its unowned sockets are the kernel's own.
    if (hidepid === null || effectiveUid(tryText('/proc/self/status') ?? '') === 0) return null;
    return `${unresolved} sockets belong to processes hidden from us: /proc is mounted with hidepid=${hidepid}, so other users' processes are invisible; run as root (or in the group named by the proc mount's gid= option) to see them`;
  }

  function hints(name: string): SysfsHints {
    const base = `/sys/class/net/${name}`;
    const uevent = tryText(`${base}/uevent`) ?? '';
    const tun = tryText(`${base}/tun_flags`);
    const exists = (p: string) => { try { os.listDir(p); return true; } catch { return false; } };
    return {
      arphrd: Number(tryText(`${base}/type`) ?? NaN) || null,
      devtype: /^DEVTYPE=(.*)$/m.exec(uevent)?.[1] ?? null,
      wireless: exists(`${base}/wireless`) || exists(`${base}/phy80211`),
      hasDevice: exists(`${base}/device`),
      tunFlags: tun === null ? null : Number.parseInt(tun, 16),
      bridge: exists(`${base}/bridge`),
    };
  }

  async function refreshLinks(names: string[], now: number): Promise<void> {
    const key = names.join(',');
    // Kinds never change for a given interface; re-ask `ip` when the set changes, or every 30 s.
    if (key === linkNames && now - linkReadAt < 30_000) return;
    linkNames = key;
    linkReadAt = now;
    const r = await os.run('ip', ['-j', '-d', 'link', 'show'], { timeoutMs: 3000 });
    // Classification falls back to sysfs hints alone, which cannot tell a veth, tun or vxlan apart.
    if (!r.ok) { linkProblem = describeFailure('ip', r); return; }
    try {
      links = new Map(parseIpLinkJson(r.stdout).map((l) => [l.name, l]));
      linkProblem = null;
    } catch (e) { linkProblem = (e as Error).message; /* keep the last good one */ }
  }

  async function listSockets(): Promise<{ tcp: SocketSample[]; via: string; inodes?: SockdiagClient } | SourceStatus> {
    if (useHelper && helper) {
      const r = await helper.dump();
      if (r.ok) return { tcp: r.sockets, via: 'nw-sockdiag', inodes: helper };
      if (r.missing) useHelper = false; // not built here: stop trying
    }
    const r = await os.run('ss', ['-tinaHe'], { timeoutMs: 10_000 });
    if (!r.ok) return unavailable(`${describeFailure('ss', r)}; nw-sockdiag helper not built`);
    return { tcp: parseSs(r.stdout), via: 'ss' };
  }

  return {
    platform: 'linux',

    async interfaces() {
      const dev = read('/proc/net/dev', parseProcNetDev);
      if (!dev.ok) return dev;
      const counters = dev.value;
      const now = os.now();
      await refreshLinks([...counters.keys()].sort(), now);
      const addrs = os.networkInterfaces();
      const meta = new Map<string, InterfaceMeta>();
      for (const name of counters.keys()) {
        const link = links.get(name);
        const { type, virtualKind } = classifyLinux(name, link, hints(name));
        const base = `/sys/class/net/${name}`;
        const operstate = (tryText(`${base}/operstate`) ?? link?.operstate ?? 'unknown').toLowerCase();
        const carrier = tryText(`${base}/carrier`) === '1';
        const speed = Number(tryText(`${base}/speed`));
        const mtu = Number(tryText(`${base}/mtu`)) || link?.mtu || null;
        const mac = tryText(`${base}/address`) ?? link?.mac ?? null;
        const a = addrs[name] ?? [];
        const ifindex = Number(tryText(`${base}/ifindex`));
        meta.set(name, {
          ifindex: Number.isSafeInteger(ifindex) && ifindex > 0 ? ifindex : null,
          type, virtualKind, mtu,
          mac: mac && mac !== '00:00:00:00:00:00' ? mac : null,
          // -1 or absent: the driver does not know (virtual, Wi-Fi, link down).
          speedMbps: Number.isFinite(speed) && speed > 0 ? speed : null,
          operstate,
          // Loopback and many virtual links report "unknown" while working: carrier decides then.
          up: operstate === 'up' || (operstate === 'unknown' && carrier),
          ipv4: a.filter((x) => x.family === 'IPv4').map((x) => x.cidr ?? x.address),
          ipv6: a.filter((x) => x.family === 'IPv6').map((x) => x.cidr ?? x.address),
        });
      }
      const counterBits = counterBitsOf(os.machine());
      // Kinds from an earlier good `ip` run still hold; only interfaces it never listed are unknown.
      const unknown = linkProblem === null ? [] : [...counters.keys()].filter((n) => !links.has(n));
      const partial = unknown.length ? `${linkProblem}: virtual kind (veth, bridge, tun…) unknown for ${unknown.join(', ')}` : undefined;
      return good({ counters, meta, counterBits, ...(partial ? { partial } : {}) });
    },

    async sockets() {
      const listed = await listSockets();
      if (!('tcp' in listed)) return bad(listed);
      const udp: SocketSample[] = [];
      for (const p of ['/proc/net/udp', '/proc/net/udp6']) {
        const r = read(p, parseProcNetUdp);
        if (r.ok) udp.push(...r.value);
      }
      const sockets = listed.tcp;
      for (let i = 0; i < udp.length; i++) sockets.push(udp[i]!);
      let inodes: LiveInodes = live;
      const tcpInodes = listed.inodes;
      if (tcpInodes) {
        // The helper's client already keys this dump's TCP sockets by inode: a second 16k-entry map
        // of the same inodes was ~0.5 MB of heap. Only UDP's few are gathered here.
        const udpInodes = new Set<number>();
        for (let i = 0; i < udp.length; i++) if (udp[i]!.inode) udpInodes.add(udp[i]!.inode);
        inodes = {
          has: (ino) => tcpInodes.has(ino) || udpInodes.has(ino),
          forEach: (fn) => { tcpInodes.forEachInode(fn); udpInodes.forEach((ino) => fn(ino)); },
        };
      } else {
        live.next();
        for (let i = 0; i < sockets.length; i++) if (sockets[i]!.inode) live.mark(sockets[i]!.inode);
        live.sweep();
      }
      fdMap.resolve(inodes);
      let unresolved = 0;
      // One /proc/<pid>/stat read per process per poll, not per socket (16k sockets, a few pids).
      const names = new Map<number, string | null>();
      for (let i = 0; i < sockets.length; i++) {
        const s = sockets[i]!;
        if (s.pid === null && s.inode) s.pid = fdMap.owner(s.inode) ?? null;
        if (s.pid === null) { if (s.inode) unresolved++; continue; }
        let name = names.get(s.pid);
        if (name === undefined) { name = fdMap.process(s.pid)?.name ?? null; names.set(s.pid, name); }
        s.command ??= name;
      }
      // hidepid is the reason for most of them when it is on; processes we see but may not read (another
      // user's non-dumpable daemon, say) are said beside it.
      const hidden = unresolved === 0 ? null : hiddenProcesses(unresolved);
      const processes = unresolved === 0 ? ok()
        : hidden ? unavailable(fdMap.denied > 0 ? `${hidden}; ${fdMap.denied} processes we can see could not be read either` : hidden)
          : fdMap.denied > 0 ? unavailable(`${unresolved} sockets belong to processes we may not inspect (${fdMap.denied} unreadable); run as root to see them`)
            : ok();
      return good({ sockets, processes, via: listed.via });
    },

    processes: {
      name: (pid) => fdMap.process(pid)?.name ?? null,
      app: (pid) => apps.identity(pid),
      command: (pid) => (fdMap.process(pid) ? apps.command(pid) : null),
    },

    async tcpCounters() {
      const r = read('/proc/net/snmp', parseProcNetSnmp);
      if (!r.ok) return r;
      return r.value ? good(r.value) : bad(failed('/proc/net/snmp: no Tcp rows'));
    },

    async wifi(wireless) {
      if (wireless.length === 0) return good([]);
      const noise = read('/proc/net/wireless', parseProcNetWireless);
      const out: Wifi[] = [];
      for (const name of wireless) {
        const r = await os.run('iw', ['dev', name, 'link'], { timeoutMs: 3000 });
        if (!r.ok) return bad(unavailable(describeFailure('iw', r)));
        const w = parseIwLink(name, r.stdout);
        const n = noise.ok ? noise.value.get(name) : undefined;
        if (n) { w.noiseDbm = n.noiseDbm; w.signalDbm ??= n.signalDbm; }
        out.push(w);
      }
      return good(out);
    },

    async gateway() {
      const v4 = read('/proc/net/route', parseProcNetRoute);
      if (v4.ok && v4.value) return good({ ip: v4.value.ip, interface: v4.value.interface });
      const v6 = read('/proc/net/ipv6_route', parseProcNetIpv6Route);
      if (v6.ok && v6.value) return good({ ip: v6.value.ip, interface: v6.value.interface });
      if (!v4.ok && !v6.ok) return v4.ok ? bad(failed('no route table')) : bad(v4.status);
      return good(null);
    },

    async dns() {
      const conf = read('/etc/resolv.conf', parseResolvConf);
      if (!conf.ok) return bad(conf.status);
      const first = conf.value[0];
      if (!first) return good(null);
      if (!RESOLVED_STUBS.has(first)) return good({ server: first, source: '/etc/resolv.conf', stub: false, servers: conf.value });
      // Behind the stub: systemd-resolved writes its real upstreams here.
      const upstream = read('/run/systemd/resolve/resolv.conf', parseResolvConf);
      const reals = upstream.ok ? upstream.value.filter((s) => !RESOLVED_STUBS.has(s)) : [];
      if (reals[0]) return good({ server: reals[0], source: '/run/systemd/resolve/resolv.conf', stub: true, servers: reals });
      const r = await os.run('resolvectl', ['status', '--no-pager'], { timeoutMs: 3000 });
      if (!r.ok) return bad(unavailable(`resolv.conf names the systemd-resolved stub and ${describeFailure('resolvectl', r)}`));
      const parsed = parseResolvectlStatus(r.stdout);
      return parsed ? good({ server: parsed.server, source: 'resolvectl', stub: true, servers: [parsed.server] }) : good(null);
    },

    dnsMonitor: (onLookup, onStatus) => followResolved(onLookup, onStatus),

    async gatewayMac(ip) {
      // IPv4 only: an IPv6 gateway's neighbour entry is not read yet (null, never an alert).
      if (ip.includes(':')) return good(null);
      const arp = read('/proc/net/arp', parseProcNetArp);
      return arp.ok ? good(arp.value.get(ip)?.mac ?? null) : arp;
    },

    routeFingerprint() {
      // resolv.conf too: a new DNS server (a VPN, another network) is seen at the next tick, not a minute later.
      return (tryText('/proc/net/route') ?? '') + (tryText('/proc/net/ipv6_route') ?? '') + (tryText('/etc/resolv.conf') ?? '');
    },

    async ping(ip) {
      const args = ['-n', '-c', '1', '-W', '1', ...(ip.includes(':') ? ['-6'] : []), ip];
      const r = await os.run('ping', args, { timeoutMs: 3000 });
      // ping exits 1 when no reply came: its statistics still tell us so.
      const text = r.ok ? r.stdout : r.kind === 'exit' ? r.stdout ?? '' : null;
      if (text === null) return bad(unavailable(describeFailure('ping', r as Extract<typeof r, { ok: false }>)));
      const p = parsePing(text);
      if (!p) return bad(r.ok ? failed('ping: no statistics in output') : unavailable(describeFailure('ping', r)));
      return good(p);
    },

    async system() {
      const cpu = read('/proc/stat', parseProcStatCpu);
      if (!cpu.ok) return cpu;
      if (!cpu.value) return bad(failed('/proc/stat: no cpu line'));
      const mem = read('/proc/meminfo', parseMeminfo);
      if (!mem.ok) return mem;
      const m = mem.value;
      const total = m.get('MemTotal') ?? 0;
      const avail = m.get('MemAvailable') ?? m.get('MemFree') ?? 0;
      const swapTotal = m.get('SwapTotal') ?? 0;
      const load = read('/proc/loadavg', (t) => t.split(' ').slice(0, 3).map(Number));
      const l = load.ok && load.value.every((n) => Number.isFinite(n) && n >= 0) ? load.value : [0, 0, 0];
      return good({
        cpu: cpu.value,
        memory: { totalBytes: total, availableBytes: Math.min(avail, total), usedBytes: Math.max(0, total - avail) },
        swap: { totalBytes: swapTotal, usedBytes: Math.max(0, swapTotal - (m.get('SwapFree') ?? swapTotal)) },
        load: [l[0]!, l[1]!, l[2]!],
      });
    },

    async disks() {
      const mounts = read('/proc/self/mounts', parseMounts);
      if (!mounts.ok) return mounts;
      const io = read('/proc/diskstats', parseDiskstats);
      const out = [];
      for (const m of mounts.value) {
        let fs;
        try { fs = os.statfs(m.mount); } catch { continue; }
        const stat = io.ok ? io.value.get(m.device.replace(/^\/dev\//, '')) : undefined;
        out.push({
          ...m, totalBytes: fs.totalBytes, usedBytes: Math.max(0, fs.totalBytes - fs.freeBytes),
          readBytes: stat?.readBytes ?? null, writtenBytes: stat?.writtenBytes ?? null,
        });
      }
      return good(out);
    },

    destroyEvents(onSocket, onStatus) {
      let feed: { stop(): void } | undefined;
      let stopped = false;
      const start = (helper: boolean) => {
        const cmd = helper && opts.helperPath ? opts.helperPath : 'stdbuf';
        // ss buffers its output when piped; stdbuf makes it write each event as it comes.
        const args = helper ? ['--destroy'] : ['-oL', 'ss', '-E', '-t', '-i', '-n', '-H', '-e', '-O'];
        feed = os.spawnLines(cmd, args, (line) => {
          if (line === 'READY') return onStatus(ok());
          if (line === 'LOST') return;
          const s = helper ? parseSockdiagLine(line) : parseSsRecord(line);
          if (s) onSocket(s);
        }, (_code, why) => {
          if (stopped) return;
          if (helper && /not installed|ENOENT/.test(why)) return start(false);
          const denied = /not permitted|permission|EPERM|EACCES/i.test(why);
          onStatus(unavailable(denied
            ? 'socket-destroy events need CAP_NET_ADMIN (run headless as root); short-lived flows land in unattributed'
            : `socket-destroy events: ${why}; short-lived flows land in unattributed`));
        });
        if (!helper) onStatus(ok());
      };
      start(opts.helperPath !== null);
      return { stop: () => { stopped = true; feed?.stop(); } };
    },

    capture: capture ?? { unavailable: opts.capturePath === undefined ? 'no capture helper given to these sources' : 'nw-capture not built (install libpcap-dev, then npm run build:native)' },

    stop() { helper?.stop(); capture?.stop(); },
  };
}
