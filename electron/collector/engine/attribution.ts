// Per-socket, per-process and per-app bandwidth from kernel socket counters, and what is left over.
import {
  TCP_STATES, type AppIdentity, type AppUsage, type Attribution, type ProcessUsage, type TcpState, type Traffic,
} from '../../../shared/index.ts';
import { endpoint, isLoopbackPeer, type SocketSample } from '../sockets.ts';
import type { ProcessLookup } from '../sources.ts';
import { identify } from '../app-identity.ts';
import { counterDelta, perSec } from './counters.ts';
import { SocketTable } from './socket-table.ts';
import { QualityAcc } from './quality.ts';

export interface Totals { external: { rx: number; tx: number }; loopback: { rx: number; tx: number } }

export interface PollInput {
  now: number;
  sockets: SocketSample[];
  /** Final counters of sockets the kernel destroyed since the last poll (empty when not followed). */
  destroyed: SocketSample[];
  /** Cumulative interface bytes read at the same time as the sockets; null when unreadable. */
  totals: Totals | null;
  ownAddresses: ReadonlySet<string>;
  shortLivedFlows: 'counted' | 'unattributed';
  processes: ProcessLookup;
  /**
   * Cumulative external bytes per process where the OS counts per process but not per socket (macOS
   * `nettop -t external`); null or absent elsewhere.
   */
  processTotals?: ReadonlyMap<number, { name: string; rx: number; tx: number }> | null;
  /**
   * Payload bytes the packet capture credits over this poll's window, per local socket end, for flows
   * the socket counters cannot see (UDP). pid null: no listed socket owns it (kept by remote endpoint).
   */
  flowCredits?: ReadonlyArray<{ pid: number | null; loop: boolean; remoteIp: string; remotePort: number; rx: number; tx: number }>;
}

export interface PollOutput {
  /** This poll's sockets for queries; the tracker reuses it, so it is valid until the next poll. */
  table: SocketTable;
  processes: ProcessUsage[];
  apps: AppUsage[];
  attribution: Attribution;
  tcpStates: Record<TcpState, number>;
  totalSockets: number;
  /** Destroyed sockets whose 4-tuple was still listed: counted at the next poll instead. */
  deferred: SocketSample[];
  /** Bytes each app moved over this poll's window (`attribution.window.ms`), loopback part apart: the history's input. */
  appDeltas: AppDelta[];
}

export interface AppDelta { app: AppIdentity; rx: number; tx: number; loopRx: number; loopTx: number }

interface Seen { lip: string; rip: string; inode: number; pid: number | null; acked: number; recv: number; gen: number }

/**
 * Last-seen counters by 4-tuple, keyed by the two ports (a number) with the addresses compared on hit:
 * no key string per socket per poll (16k sockets every 2 s), and entries are updated in place.
 * The key is a 32-bit integer (`<<`/`|`), which V8 keeps unboxed; `port * 65536 + port` went past that
 * range and boxed a heap number per lookup (0.23 MB a poll at 16k sockets).
 */
const ports = (s: SocketSample): number => (s.localPort << 16) | s.remotePort!;
class TupleMap {
  #m = new Map<number, Seen | Seen[]>();
  get(s: SocketSample): Seen | undefined {
    const v = this.#m.get(ports(s));
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return v.lip === s.localIp && v.rip === s.remoteIp ? v : undefined;
    return v.find((e) => e.lip === s.localIp && e.rip === s.remoteIp);
  }
  add(s: SocketSample, e: Seen): void {
    const k = ports(s);
    const v = this.#m.get(k);
    if (v === undefined) this.#m.set(k, e);
    else if (Array.isArray(v)) v.push(e);
    else this.#m.set(k, [v, e]);
  }
  /** Drops entries not seen in generation `gen`. */
  sweep(gen: number): void {
    // forEach, not for-of: no [key, value] entry per socket per poll (measured: 1.8 MB a poll at 16k).
    this.#m.forEach((v, k) => {
      if (!Array.isArray(v)) { if (v.gen !== gen) this.#m.delete(k); return; }
      const live = v.filter((e) => e.gen === gen);
      if (live.length === 0) this.#m.delete(k);
      else if (live.length === 1) this.#m.set(k, live[0]!);
      else this.#m.set(k, live);
    });
  }
}
/** One process's share of one poll: bytes (all, and the loopback part), sockets, connection quality. */
interface Delta { rx: number; tx: number; lrx: number; ltx: number; conns: number; quality: QualityAcc }
interface Acc { rxBytes: number; txBytes: number; rxBps: number; txBps: number; lastActive: number }
/** Remote endpoints listed in unknownProcess at most (a flood of UDP tuples must not grow it unbounded). */
const MAX_UNKNOWN = 4096;
/** Exited processes stay listed this long after their last byte, so their totals are not lost at once. */
const KEEP_EXITED_MS = 60_000;

const zeroTraffic = (): Traffic => ({ rxBytes: 0, txBytes: 0, rxBps: 0, txBps: 0 });
/** Adds one window's bytes to cumulative traffic and makes its rates that window's (0 on the first poll: perSec). */
function addWindow(t: Traffic, rx: number, tx: number, dt: number): void {
  t.rxBytes += rx; t.txBytes += tx;
  t.rxBps = perSec(rx, dt); t.txBps = perSec(tx, dt);
}

export class SocketTracker {
  #seen = new TupleMap();
  #table = new SocketTable();
  #gen = 0;
  #prevTs: number | null = null;
  #prevTotals: Totals | null = null;
  #procs = new Map<number, Acc & { name: string; app: AppIdentity; command: string; estimated: boolean; loopback: Traffic }>();
  #unknown = new Map<string, Acc>();
  #unattributed = { external: zeroTraffic(), loopback: zeroTraffic() };
  #procPrev = new Map<number, { rx: number; tx: number }>();

  poll(input: PollInput): PollOutput {
    const { now, sockets } = input;
    const first = this.#prevTs === null;
    const dt = first ? 0 : now - this.#prevTs!;
    // Measured unless the source gives established TCP sockets without byte counters.
    const hasCounters = !sockets.some((s) => s.protocol === 'tcp' && s.state === 'ESTAB' && s.bytesAcked === null);
    const isLoop = (s: SocketSample) => s.remoteIp !== null && isLoopbackPeer(s.remoteIp, input.ownAddresses);

    const listeners = new Map<string, number>();
    // Index loops over the 16k-element arrays below: the iterator objects of for-of were 1.3 MB a poll.
    for (let i = 0; i < sockets.length; i++) {
      const s = sockets[i]!;
      if (s.state === 'LISTEN' && s.pid !== null) {
        listeners.set(`${s.localIp}|${s.localPort}`, s.pid);
        if (!listeners.has(`*|${s.localPort}`)) listeners.set(`*|${s.localPort}`, s.pid);
      }
    }

    const att = { external: { rx: 0, tx: 0 }, loopback: { rx: 0, tx: 0 } };
    const pidDelta = new Map<number, Delta>();
    const delta = (pid: number): Delta => {
      let p = pidDelta.get(pid);
      if (!p) pidDelta.set(pid, (p = { rx: 0, tx: 0, lrx: 0, ltx: 0, conns: 0, quality: new QualityAcc() }));
      return p;
    };
    const unknownDelta = new Map<string, { rx: number; tx: number }>();
    // The remote endpoint's text is only needed for bytes no process can take.
    // Only bytes credited to a process count as attributed; bytes whose process is unknown (another
    // user's, unprivileged; a flow closed before any poll saw it) stay in `unattributed`, and
    // `unknownProcess` breaks that part down by remote endpoint.
    const addTo = (pid: number | null, peer: { remoteIp: string | null; remotePort: number | null }, loop: boolean, rx: number, tx: number) => {
      if (pid !== null) {
        const side = loop ? att.loopback : att.external;
        side.rx += rx;
        side.tx += tx;
        const p = delta(pid);
        p.rx += rx; p.tx += tx;
        if (loop) { p.lrx += rx; p.ltx += tx; }
      } else if ((rx || tx) && this.#unknown.size + unknownDelta.size < MAX_UNKNOWN) {
        const remote = endpoint(peer.remoteIp!, peer.remotePort!);
        const u = unknownDelta.get(remote) ?? { rx: 0, tx: 0 };
        u.rx += rx; u.tx += tx;
        unknownDelta.set(remote, u);
      }
    };

    // Names for sockets whose source gave none, asked once per pid (the lookup may read /proc).
    const looked = new Map<number, string | null>();
    const nameOf = (pid: number) => {
      let n = looked.get(pid);
      if (n === undefined) looked.set(pid, (n = input.processes.name(pid)));
      return n;
    };
    const gen = ++this.#gen;
    const table = this.#table;
    table.reset(sockets);
    const tcpStates = Object.fromEntries(TCP_STATES.map((s) => [s, 0])) as Record<TcpState, number>;
    for (let i = 0; i < sockets.length; i++) {
      const s = sockets[i]!;
      if (s.protocol === 'tcp' && s.state !== 'UNCONN') tcpStates[s.state]++;
      let dTx = 0, dRx = 0;
      if (s.remoteIp !== null && s.bytesAcked !== null && s.bytesReceived !== null) {
        const prev = this.#seen.get(s);
        if (prev && (prev.inode === s.inode || s.inode === 0)) {
          // A decrease means a new socket on the same 4-tuple: all of its bytes are new.
          dTx = counterDelta(prev.acked, s.bytesAcked, dt || 1) ?? s.bytesAcked;
          dRx = counterDelta(prev.recv, s.bytesReceived, dt || 1) ?? s.bytesReceived;
        } else if (!first) {
          // Opened since the last poll: everything it carried falls in this window.
          dTx = s.bytesAcked;
          dRx = s.bytesReceived;
        }
        if (prev) {
          prev.inode = s.inode; prev.pid = s.pid; prev.acked = s.bytesAcked; prev.recv = s.bytesReceived; prev.gen = gen;
        } else {
          this.#seen.add(s, { lip: s.localIp, rip: s.remoteIp, inode: s.inode, pid: s.pid, acked: s.bytesAcked, recv: s.bytesReceived, gen });
        }
        if (hasCounters) addTo(s.pid, s, isLoop(s), dRx, dTx);
      }
      if (s.pid !== null) {
        const p = delta(s.pid);
        p.conns++;
        if (s.remoteIp !== null && !isLoop(s)) p.quality.add(s);
      }
      table.set(i, s.pid, s.pid === null ? null : s.command ?? nameOf(s.pid), perSec(dTx, dt), perSec(dRx, dt));
    }

    // Sockets closed since the last poll, with their final counters (privileged engines only).
    const deferred: SocketSample[] = [];
    for (const d of first ? [] : input.destroyed) {
      if (d.remoteIp === null || d.bytesAcked === null || d.bytesReceived === null) continue;
      const seen = this.#seen.get(d);
      if (seen?.gen === gen) { deferred.push(d); continue; } // still listed in this dump
      const prev = seen && seen.gen === gen - 1 ? seen : undefined;
      if (seen) seen.gen = -1; // counted now; swept below
      const pid = prev?.pid ?? listeners.get(`${d.localIp}|${d.localPort}`) ?? listeners.get(`*|${d.localPort}`) ?? null;
      const dTx = prev ? Math.max(0, d.bytesAcked - prev.acked) : d.bytesAcked;
      const dRx = prev ? Math.max(0, d.bytesReceived - prev.recv) : d.bytesReceived;
      addTo(pid, d, isLoop(d), dRx, dTx);
    }

    // Flows the capture saw that socket counters do not cover (UDP), over the same window.
    if (!first) for (const c of input.flowCredits ?? []) addTo(c.pid, c, c.loop, c.rx, c.tx);

    // Interface bytes over the same window.
    const tot = input.totals;
    const pt = this.#prevTotals;
    const win = (a: number, b: number) => counterDelta(a, b, dt || 1) ?? 0;
    const ifd = pt && tot ? {
      external: { rx: win(pt.external.rx, tot.external.rx), tx: win(pt.external.tx, tot.external.tx) },
      loopback: { rx: win(pt.loopback.rx, tot.loopback.rx), tx: win(pt.loopback.tx, tot.loopback.tx) },
    } : { external: { rx: 0, tx: 0 }, loopback: { rx: 0, tx: 0 } };

    let method: Attribution['method'] = 'measured';
    const perProcess = input.processTotals;
    if (perProcess) {
      // Kernel counters per process (macOS nettop): measured per process, though not per socket.
      for (const [pid, c] of perProcess) {
        const prev = this.#procPrev.get(pid);
        const dRx = prev ? counterDelta(prev.rx, c.rx, dt || 1) ?? c.rx : first ? 0 : c.rx;
        const dTx = prev ? counterDelta(prev.tx, c.tx, dt || 1) ?? c.tx : first ? 0 : c.tx;
        att.external.rx += dRx;
        att.external.tx += dTx;
        const p = delta(pid);
        p.rx += dRx; p.tx += dTx;
      }
      this.#procPrev = new Map([...perProcess].map(([pid, c]) => [pid, { rx: c.rx, tx: c.tx }]));
    } else if (!hasCounters && !first) {
      // No per-socket counters on this system: share interface bytes by established connections.
      method = 'estimated';
      for (const side of ['external', 'loopback'] as const) {
        const estab = sockets.filter((s) => s.state === 'ESTAB' && s.pid !== null && s.remoteIp !== null && isLoop(s) === (side === 'loopback'));
        for (const s of estab) {
          const share = 1 / estab.length;
          addTo(s.pid, s, side === 'loopback', Math.round(ifd[side].rx * share), Math.round(ifd[side].tx * share));
        }
      }
    }

    // Process names from the per-process source where the OS tools cut them less (nettop keeps the pid).
    const lookup: ProcessLookup = perProcess
      ? {
        name: (pid) => input.processes.name(pid) ?? perProcess.get(pid)?.name ?? null,
        app: (pid) => input.processes.app(pid) ?? (perProcess.has(pid) ? identify({ exe: null, argv: [], name: perProcess.get(pid)!.name }) : null),
        command: (pid) => input.processes.command(pid) ?? perProcess.get(pid)?.name ?? null,
      }
      : input.processes;
    this.#accumulate(now, dt, pidDelta, unknownDelta, lookup, method === 'estimated');
    const unattributed = { external: zeroTraffic(), loopback: zeroTraffic() };
    const coverage = { external: null as number | null, loopback: null as number | null };
    for (const side of ['external', 'loopback'] as const) {
      const uRx = Math.max(0, ifd[side].rx - att[side].rx);
      const uTx = Math.max(0, ifd[side].tx - att[side].tx);
      const cum = this.#unattributed[side];
      addWindow(cum, uRx, uTx, dt);
      unattributed[side] = { ...cum };
      const total = ifd[side].rx + ifd[side].tx;
      coverage[side] = total > 0 ? Math.min(1, (att[side].rx + att[side].tx) / total) : null;
    }

    this.#seen.sweep(gen);
    this.#prevTs = now;
    this.#prevTotals = tot;
    const processes = this.#processList(now, pidDelta);
    return {
      table, processes, apps: groupApps(processes, this.#identities(), this.#appQuality(pidDelta)), tcpStates, deferred,
      appDeltas: this.#appDeltas(pidDelta),
      totalSockets: sockets.length,
      attribution: {
        method, unattributed, coverage,
        window: {
          ms: dt,
          external: { rxBps: perSec(ifd.external.rx, dt), txBps: perSec(ifd.external.tx, dt) },
          loopback: { rxBps: perSec(ifd.loopback.rx, dt), txBps: perSec(ifd.loopback.tx, dt) },
        },
        shortLivedFlows: input.shortLivedFlows,
        note: input.shortLivedFlows === 'counted'
          ? 'Sockets that open and close between two polls are counted from kernel socket-destroy events; bytes whose process cannot be named stay unattributed, listed by remote endpoint.'
          : 'Connections that open and close between two polls are not seen by this unprivileged engine; their bytes land in unattributed.',
        unknownProcess: [...this.#unknown].filter(([, a]) => now - a.lastActive < KEEP_EXITED_MS)
          .map(([remote, a]) => ({ remote, rxBytes: a.rxBytes, txBytes: a.txBytes, rxBps: a.rxBps, txBps: a.txBps })),
      },
    };
  }

  #accumulate(now: number, dt: number, pidDelta: Map<number, Delta>,
    unknownDelta: Map<string, { rx: number; tx: number }>, lookup: ProcessLookup, estimated: boolean): void {
    for (const acc of [...this.#procs.values(), ...this.#unknown.values()]) { acc.rxBps = 0; acc.txBps = 0; }
    for (const p of this.#procs.values()) { p.loopback.rxBps = 0; p.loopback.txBps = 0; }
    for (const [pid, d] of pidDelta) {
      let p = this.#procs.get(pid);
      if (!p) {
        const name = lookup.name(pid);
        if (name === null && d.rx === 0 && d.tx === 0) continue; // exited before we could name it, and idle
        const shown = name ?? `pid ${pid}`;
        // Named once, when first seen: a process keeps its identity for its life (its pid may be reused later).
        const app = lookup.app(pid) ?? identify({ exe: null, argv: [], name: shown });
        p = { rxBytes: 0, txBytes: 0, rxBps: 0, txBps: 0, lastActive: now, name: shown, app, command: lookup.command(pid) ?? shown, estimated, loopback: zeroTraffic() };
        this.#procs.set(pid, p);
      }
      addWindow(p, d.rx, d.tx, dt);
      addWindow(p.loopback, d.lrx, d.ltx, dt);
      p.estimated = estimated;
      p.lastActive = now;
    }
    for (const [remote, d] of unknownDelta) {
      const u = this.#unknown.get(remote) ?? { rxBytes: 0, txBytes: 0, rxBps: 0, txBps: 0, lastActive: now };
      addWindow(u, d.rx, d.tx, dt);
      u.lastActive = now;
      this.#unknown.set(remote, u);
    }
    for (const [pid, p] of this.#procs) if (now - p.lastActive >= KEEP_EXITED_MS) this.#procs.delete(pid);
    for (const [k, u] of this.#unknown) if (now - u.lastActive >= KEEP_EXITED_MS) this.#unknown.delete(k);
  }

  #identities(): Map<string, AppIdentity> {
    const m = new Map<string, AppIdentity>();
    for (const p of this.#procs.values()) m.set(p.app.id, p.app);
    return m;
  }

  #appDeltas(pidDelta: Map<number, Delta>): AppDelta[] {
    const m = new Map<string, AppDelta>();
    for (const [pid, d] of pidDelta) {
      const app = this.#procs.get(pid)?.app;
      if (!app || (d.rx === 0 && d.tx === 0)) continue;
      const a = m.get(app.id) ?? { app, rx: 0, tx: 0, loopRx: 0, loopTx: 0 };
      a.rx += d.rx; a.tx += d.tx; a.loopRx += d.lrx; a.loopTx += d.ltx;
      m.set(app.id, a);
    }
    return [...m.values()];
  }

  /** Quality per app id over all of the app's sockets together. */
  #appQuality(pidDelta: Map<number, Delta>): Map<string, QualityAcc> {
    const m = new Map<string, QualityAcc>();
    for (const [pid, d] of pidDelta) {
      const id = this.#procs.get(pid)?.app.id;
      if (id === undefined || d.quality.rttsUs.length === 0) continue;
      let acc = m.get(id);
      if (!acc) m.set(id, (acc = new QualityAcc()));
      acc.merge(d.quality);
    }
    return m;
  }

  #processList(now: number, pidDelta: Map<number, Delta>): ProcessUsage[] {
    const out: ProcessUsage[] = [];
    for (const [pid, p] of this.#procs) {
      out.push({
        pid, name: p.name, app: p.app.name, appId: p.app.id, command: p.command, self: p.app.self, rxBytes: p.rxBytes, txBytes: p.txBytes, rxBps: p.rxBps, txBps: p.txBps,
        connections: pidDelta.get(pid)?.conns ?? 0, estimated: p.estimated,
        loopback: { ...p.loopback }, quality: pidDelta.get(pid)?.quality.summary() ?? null,
      });
    }
    return out.sort((a, b) => b.rxBps + b.txBps - (a.rxBps + a.txBps) || b.rxBytes + b.txBytes - (a.rxBytes + a.txBytes));
  }
}

/**
 * Sums processes of one application (by identity id, not display name: two `node` programs are two
 * apps); the app keeps its pids so the UI can expand it. `identities`: exe and icon per app id.
 */
export function groupApps(processes: ProcessUsage[], identities: ReadonlyMap<string, Pick<AppIdentity, 'exe' | 'icon'>> = new Map(),
  quality: ReadonlyMap<string, QualityAcc> = new Map()): AppUsage[] {
  const apps = new Map<string, AppUsage>();
  for (const p of processes) {
    const known = identities.get(p.appId);
    const a = apps.get(p.appId) ?? {
      id: p.appId, app: p.app, exe: known?.exe ?? null, icon: known?.icon ?? null, self: p.self, pids: [], connections: 0, estimated: false,
      ...zeroTraffic(), loopback: zeroTraffic(), quality: quality.get(p.appId)?.summary() ?? null,
    };
    a.pids.push(p.pid);
    a.connections += p.connections;
    a.rxBytes += p.rxBytes; a.txBytes += p.txBytes; a.rxBps += p.rxBps; a.txBps += p.txBps;
    const l = a.loopback;
    l.rxBytes += p.loopback.rxBytes; l.txBytes += p.loopback.txBytes; l.rxBps += p.loopback.rxBps; l.txBps += p.loopback.txBps;
    a.estimated ||= p.estimated;
    apps.set(p.appId, a);
  }
  return [...apps.values()].sort((a, b) => b.rxBps + b.txBps - (a.rxBps + a.txBps));
}
