// Connections tier: the socket poll (owners, per-socket and per-process rates, coverage), socket-destroy
// events between polls, and the kernel's TCP counters read alongside.
import {
  countedInterfaces, ok, queryConnections, queryTable, unavailable, type ConnectionPage, type ConnectionQuery, type TcpMetrics,
} from '../../../shared/index.ts';
import type { DestroyFeed, TcpCounters } from '../sources.ts';
import { isLoopbackPeer, normaliseIp, type SocketSample } from '../sockets.ts';
import { SocketTracker, type PollOutput, type Totals } from './attribution.ts';
import { counterDelta, perSec } from './counters.ts';
import type { Job, TierEnv } from './tier.ts';
import type { CaptureTier } from './capture-tier.ts';
import { SocketIndex, flowEnds, type FlowEnd } from './flow-credit.ts';
import type { AppRef } from './flow-accounts.ts';
import { SocketAttempts, type OutcomeSink } from './socket-attempts.ts';
import { isLocalOnly, type OutsideApp } from './new-app.ts';

/** Closes kept between two polls at most: a flood of closes must not grow memory without limit. */
const MAX_DESTROYED = 200_000;

export class ConnectionsTier {
  #env: TierEnv;
  #sockets = new SocketTracker();
  #destroyed: SocketSample[] = [];
  #feed: DestroyFeed | null = null;
  #tcpPrev: { c: TcpCounters; ts: number } | null = null;
  poll: PollOutput | null = null;
  /** Epoch ms of the last poll; null before the first. */
  pollTs: number | null = null;
  tcpMetrics: TcpMetrics | null = null;
  /** Apps (NetWatch itself left out) with a socket or captured traffic to a remote address in the last poll: the new-app detector's input. */
  outside: OutsideApp[] = [];
  readonly jobs: Job[];

  #capture: CaptureTier | null;
  /** Connection attempts from socket births and destroy events, for when the capture is not running. */
  #attempts: SocketAttempts;
  /** Called with each of those attempts (the intelligence tier's events without the capture). */
  readonly attemptListeners: OutcomeSink[] = [];

  /** `capture`: the packet capture tier whose flows this poll attributes (UDP credit, hosts, services). */
  constructor(env: TierEnv, capture: CaptureTier | null = null) {
    this.#env = env;
    this.#capture = capture;
    this.#attempts = new SocketAttempts((outcome, app, sock) => {
      this.#capture?.connects.event(outcome, app);
      for (const l of this.attemptListeners) l(outcome, app, sock);
    });
    this.jobs = [{
      key: 'connections', source: 'connections',
      every: (c, visible) => (visible ? c.connectionsVisibleMs : c.connectionsHiddenMs),
      run: () => this.read(),
    }];
  }

  /** One page of the latest poll's sockets. */
  query(q: ConnectionQuery): ConnectionPage {
    return this.poll ? queryTable(this.poll.table, q, this.pollTs) : queryConnections([], q, this.pollTs);
  }

  /** Starts following socket-destroy events, if the config wants them and they are not followed yet. */
  follow(): void {
    if (this.#feed) return;
    const st = this.#env.status;
    if (!this.#env.config().destroyEvents) {
      st.set('destroyEvents', unavailable('socket-destroy events turned off; short-lived flows land in unattributed'));
      return;
    }
    st.set('destroyEvents', unavailable('starting'));
    this.#feed = this.#env.sources.destroyEvents((sock) => {
      if (this.#destroyed.length < MAX_DESTROYED) this.#destroyed.push(sock);
      this.#attempts.destroyed(sock);
    }, (s) => { st.set('destroyEvents', s); });
  }

  /** Restarts the destroy feed under the new config (it may have been turned on or off). */
  refollow(): void { this.unfollow(); this.follow(); }

  unfollow(): void { this.#feed?.stop(); this.#feed = null; }

  async read(): Promise<void> {
    const { sources, os, status: st } = this.#env;
    const r = await sources.sockets();
    const reading = st.take('connections', r);
    // Interface counters read now, not the last tick's: coverage compares them with these socket counters.
    const ifr = await sources.interfaces();
    const now = os.now();
    const counters = st.take('tcpMetrics', await sources.tcpCounters());
    if (counters) { this.tcpMetrics = this.#metrics(counters, now); this.#capture?.kernelCounters(counters); }
    // The capture's flows up to now, for the same window as the socket and interface counters.
    const drained = this.#capture?.active ? await this.#capture.drain() : null;
    if (!reading) { st.set('processes', r.ok ? ok() : r.status); return; }
    st.set('processes', reading.processes);
    // Interface totals only feed `unattributed`/`coverage`: without them the sockets still count.
    let totals: Totals | null = null;
    const own = new Set<string>();
    if (ifr.ok) {
      totals = { external: { rx: 0, tx: 0 }, loopback: { rx: 0, tx: 0 } };
      // External = the interfaces the headline total counts (shared/totals.ts), so the two agree.
      const typed = [...ifr.value.counters.keys()].map((name) => ({ name, type: ifr.value.meta.get(name)?.type ?? 'Other' as const }));
      const external = new Set(countedInterfaces(typed).map((i) => i.name));
      for (const [name, c] of ifr.value.counters) {
        const m = ifr.value.meta.get(name);
        for (const a of [...(m?.ipv4 ?? []), ...(m?.ipv6 ?? [])]) own.add(a.replace(/\/\d+$/, ''));
        const side = m?.type === 'Loopback' ? totals.loopback : external.has(name) ? totals.external : null;
        if (side) { side.rx += c.rxBytes; side.tx += c.txBytes; }
      }
    }
    let processTotals = null;
    if (sources.processTraffic) {
      const t = await sources.processTraffic();
      if (t.ok) processTotals = t.value;
      else st.set('processes', t.status);
    }
    const destroyed = this.#destroyed;
    this.#destroyed = [];
    const shortLived = st.get('destroyEvents').state === 'ok' ? 'counted' : 'unattributed';
    const index = drained ? new SocketIndex(reading.sockets) : null;
    const ends = drained && index ? flowEnds(drained.flows, index, own) : [];
    // UDP only: TCP bytes come from the per-socket counters (and destroy events); the capture checks them.
    const flowCredits = ends.filter((e) => e.proto === 'udp');
    const prevTs = this.pollTs;
    this.poll = this.#sockets.poll({ now, sockets: reading.sockets, destroyed, totals, ownAddresses: own, shortLivedFlows: shortLived, processes: sources.processes, processTotals, flowCredits });
    this.#destroyed.unshift(...this.poll.deferred);
    this.pollTs = now;
    this.outside = outsideApps(reading.sockets, flowCredits, own, this.poll);
    const cap = this.#capture;
    const apps = new Map<number, AppRef>(this.poll.processes.map((p) => [p.pid, { id: p.appId, name: p.app }]));
    const app = (pid: number) => apps.get(pid) ?? null;
    if (cap) {
      cap.connects.eventsFollowed = st.get('destroyEvents').state === 'ok';
      this.#attempts.poll(reading.sockets, (s) => (s.pid === null ? null : app(s.pid)));
    }
    // macOS: nettop's per-process counters hold UDP as well (it lists udp4/udp6 flows under their
    // process), so UDP is credited without the capture there.
    this.poll.attribution.udp = cap?.active || processTotals ? { credited: true, reason: null } : { credited: false, reason: `UDP is not attributed: ${cap?.reason ?? 'no packet capture'}` };
    if (cap && drained && index && prevTs !== null) {
      const dt = now - prevTs;
      cap.account(ends, drained.lostBytes, this.#crossCheck(ends, dt), this.#env.config().portSets, app, now, dt);
      // The querying sockets' owners, from the same flow ends: DNS analytics per app.
      const owners = new Map(ends.flatMap((e) => (e.pid === null ? [] : [[`${e.proto}|${e.localIp}|${e.localPort}`, e.pid] as const])));
      cap.dnsAnalytics.attribute((proto, ip, port) => { const pid = owners.get(`${proto}|${ip}|${port}`); return pid === undefined ? null : app(pid); });
      cap.attribute(drained.handshakes, (h) => {
        const local = isLoopbackPeer(normaliseIp(h.src), own);
        const m = local ? index.find('tcp', normaliseIp(h.src), h.srcPort, normaliseIp(h.dst), h.dstPort) : index.find('tcp', normaliseIp(h.dst), h.dstPort, normaliseIp(h.src), h.srcPort);
        const pid = m.i >= 0 ? reading.sockets[m.i]!.pid : null;
        return pid === null ? null : app(pid);
      });
    }
  }

  /** TCP payload the capture saw on flows matched to a listed socket, against those sockets' counters. */
  #crossCheck(ends: readonly FlowEnd[], dt: number): { socketBytes: number; captureBytes: number; flows: number } {
    const out = { socketBytes: 0, captureBytes: 0, flows: 0 };
    const table = this.poll!.table;
    for (const e of ends) {
      if (e.proto !== 'tcp' || !e.exact || e.socket < 0 || table.number(e.socket, 'bytesSent') === null) continue;
      out.flows++;
      out.captureBytes += e.rx + e.tx;
      // The table keeps each socket's rates over the window (bytes/s): back to bytes.
      out.socketBytes += Math.round(((table.number(e.socket, 'txBps') ?? 0) + (table.number(e.socket, 'rxBps') ?? 0)) * dt / 1000);
    }
    return out;
  }

  #metrics(c: TcpCounters, now: number): TcpMetrics {
    const prev = this.#tcpPrev;
    this.#tcpPrev = { c, ts: now };
    const dt = prev ? now - prev.ts : 0;
    const d = (k: keyof TcpCounters) => (prev && dt > 0 ? counterDelta(prev.c[k], c[k], dt) ?? 0 : 0);
    const opens = d('activeOpens') + d('passiveOpens');
    const out = d('outSegs');
    return {
      ...c,
      activeOpensPerSec: perSec(d('activeOpens'), dt), passiveOpensPerSec: perSec(d('passiveOpens'), dt),
      attemptFailsPerSec: perSec(d('attemptFails'), dt), estabResetsPerSec: perSec(d('estabResets'), dt),
      retransSegsPerSec: perSec(d('retransSegs'), dt),
      retransmitPct: out > 0 ? Math.min(100, (d('retransSegs') / out) * 100) : 0,
      errorPct: opens > 0 ? Math.min(100, ((d('attemptFails') + d('estabResets')) / opens) * 100) : 0,
    };
  }
}

/** One entry per app that talked to a remote address: its sockets with a peer (not listening), then its captured UDP. */
function outsideApps(sockets: readonly SocketSample[], udp: readonly FlowEnd[], own: ReadonlySet<string>, poll: PollOutput): OutsideApp[] {
  const byPid = new Map(poll.processes.map((p) => [p.pid, p.appId]));
  const apps = new Map(poll.apps.map((a) => [a.id, a]));
  const out = new Map<string, OutsideApp>();
  const add = (pid: number | null, remote: string | null) => {
    if (pid === null || remote === null) return;
    const ip = normaliseIp(remote);
    if (isLoopbackPeer(ip, own) || isLocalOnly(ip)) return;
    const id = byPid.get(pid);
    const a = id === undefined ? undefined : apps.get(id);
    if (!a || a.self || out.has(a.id)) return;
    out.set(a.id, { id: a.id, name: a.app, exe: a.exe, remote: ip });
  };
  for (const s of sockets) if (s.state !== 'LISTEN' && s.remotePort !== null && s.remotePort !== 0) add(s.pid, s.remoteIp);
  for (const e of udp) if (!e.loop) add(e.pid, e.remoteIp);
  return [...out.values()];
}
