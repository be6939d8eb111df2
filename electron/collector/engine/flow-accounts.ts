// Per-remote-host and per-service byte accounts from the local ends of captured flows (flow-credit.ts),
// with the names DNS answers gave each address. Every table is bounded: the least recently active
// entry is folded into an "other" total, so a flood of addresses cannot grow memory without limit.
import {
  HOSTS_PER_APP, MAX_HOSTS, type AppHosts, type HostUsage, type PortSet, type ServiceUsage, type Traffic,
} from '../../../shared/index.ts';
import type { DnsMessage } from '../capture.ts';
import { normaliseIp } from '../sockets.ts';
import { perSec } from './counters.ts';
import type { FlowEnd } from './flow-credit.ts';

interface Acc { rxBytes: number; txBytes: number; rx: number; tx: number; lastActive: number }
const zero = (): Traffic => ({ rxBytes: 0, txBytes: 0, rxBps: 0, txBps: 0 });

/** Addresses whose names are remembered; names kept per address. */
const MAX_NAMES = 4096;
const NAMES_PER_ADDRESS = 4;
/** Apps with a host table of their own; service rows kept. */
const MAX_APPS = 256;
/** Hosts kept per app (HOSTS_PER_APP of them listed): 256 apps × 128 hosts bound the per-app tables. */
const MAX_HOSTS_PER_APP = 128;
const MAX_SERVICE_ROWS = 1024;

/** A Map used as an LRU: get() moves the entry to the newest end; evict() drops the oldest. */
class Lru<K, V> {
  #m = new Map<K, V>();
  readonly cap: number;
  constructor(cap: number) { this.cap = cap; }
  get size(): number { return this.#m.size; }
  touch(k: K, make: () => V, onEvict?: (k: K, v: V) => void): V {
    let v = this.#m.get(k);
    if (v !== undefined) this.#m.delete(k);
    else {
      v = make();
      if (this.#m.size >= this.cap) {
        const [ok, ov] = this.#m.entries().next().value as [K, V];
        this.#m.delete(ok);
        onEvict?.(ok, ov);
      }
    }
    this.#m.set(k, v);
    return v;
  }
  peek(k: K): V | undefined { return this.#m.get(k); }
  values(): IterableIterator<V> { return this.#m.values(); }
  entries(): IterableIterator<[K, V]> { return this.#m.entries(); }
}

/** Names from DNS responses, by the address they answered with (latest name first). */
export class DnsNames {
  #names = new Lru<string, string[]>(MAX_NAMES);

  add(messages: readonly DnsMessage[]): void {
    for (const m of messages) {
      if (!m.response || m.rcode !== 0 || m.qname === null) continue;
      for (const a of m.answers) {
        const list = this.#names.touch(normaliseIp(a), () => []);
        const at = list.indexOf(m.qname);
        if (at >= 0) list.splice(at, 1);
        list.unshift(m.qname);
        if (list.length > NAMES_PER_ADDRESS) list.length = NAMES_PER_ADDRESS;
      }
    }
  }

  of(address: string): string[] { return [...(this.#names.peek(address) ?? [])]; }
}

class HostTable {
  #t: Lru<string, Acc>;
  other = zero();
  constructor(cap: number) { this.#t = new Lru(cap); }
  add(address: string, rx: number, tx: number, now: number): void {
    const a = this.#t.touch(address, () => ({ rxBytes: 0, txBytes: 0, rx: 0, tx: 0, lastActive: now }), (_k, v) => {
      this.other.rxBytes += v.rxBytes; this.other.txBytes += v.txBytes;
    });
    a.rxBytes += rx; a.txBytes += tx; a.rx += rx; a.tx += tx; a.lastActive = now;
  }
  /** Rates over the window just ended (`dt` ms), then the window's bytes start again from zero. */
  close(dt: number): void {
    for (const a of this.#t.values()) { a.rx = perSec(a.rx, dt); a.tx = perSec(a.tx, dt); }
  }
  reopen(): void { for (const a of this.#t.values()) { a.rx = 0; a.tx = 0; } }
  list(names: DnsNames, limit: number): HostUsage[] {
    const out: HostUsage[] = [];
    for (const [address, a] of this.#t.entries()) {
      out.push({ address, names: names.of(address), rxBytes: a.rxBytes, txBytes: a.txBytes, rxBps: a.rx, txBps: a.tx, lastActive: a.lastActive });
    }
    out.sort((x, y) => y.rxBps + y.txBps - (x.rxBps + x.txBps) || y.rxBytes + y.txBytes - (x.rxBytes + x.txBytes));
    return out.slice(0, limit);
  }
}

export interface AppRef { id: string; name: string }

/** One poll's bytes per (app, remote host) and per service port, for the usage history. app '' = owner unknown. */
export interface FlowRow { app: string; host: string; service: string; rx: number; tx: number }
/** Rows kept per poll for the history; beyond, bytes go to host "other" (a flood must not grow them). */
const MAX_ROWS_PER_POLL = 10_000;

export class FlowAccounts {
  readonly names = new DnsNames();
  #hosts = new HostTable(MAX_HOSTS);
  #apps = new Lru<string, { name: string; hosts: HostTable }>(MAX_APPS);
  #services = new Lru<string, Omit<ServiceUsage, 'rxBps' | 'txBps'> & { rx: number; tx: number }>(MAX_SERVICE_ROWS);
  #otherServices = zero();
  /** The last poll's rows for the history, with that poll's time. */
  lastPoll: { ts: number; rows: FlowRow[] } | null = null;

  /**
   * Folds one poll's flow ends in; `dt` is the poll window (ms), `app` names a pid's application.
   * Ends between two local sockets are not remote hosts; a service port is counted once per flow.
   */
  add(ends: readonly FlowEnd[], sets: readonly PortSet[], app: (pid: number) => AppRef | null, now: number, dt: number): void {
    this.#hosts.reopen();
    for (const a of this.#apps.values()) a.hosts.reopen();
    for (const s of this.#services.values()) { s.rx = 0; s.tx = 0; }
    const counted = new Set<string>();
    const rows = new Map<string, FlowRow>();
    const row = (app: string, host: string, service: string, rx: number, tx: number) => {
      if (rx <= 0 && tx <= 0) return;
      let k = `${app}\t${host}\t${service}`;
      if (!rows.has(k) && rows.size >= MAX_ROWS_PER_POLL) { host = host ? 'other' : ''; k = `${app}\t${host}\t${service}`; }
      const r = rows.get(k) ?? { app, host, service, rx: 0, tx: 0 };
      r.rx += rx; r.tx += tx;
      rows.set(k, r);
    };
    for (const e of ends) {
      if (!e.loop) {
        this.#hosts.add(e.remoteIp, e.rx, e.tx, now);
        const ref = e.pid === null ? null : app(e.pid);
        row(ref?.id ?? '', e.remoteIp, '', e.rx, e.tx);
        if (ref) this.#apps.touch(ref.id, () => ({ name: ref.name, hosts: new HostTable(MAX_HOSTS_PER_APP) })).hosts.add(e.remoteIp, e.rx, e.tx, now);
      }
      for (const set of sets) {
        for (const p of set.ports) {
          if (p.protocol !== e.proto) continue;
          const role = e.localPort === p.port ? 'server' : e.remotePort === p.port && !e.loop ? 'client' : null;
          if (!role) continue;
          // One flow between two local sockets has two ends; its service is counted at the server's.
          const flow = `${set.name}|${p.protocol}|${p.port}|${[e.localIp, e.localPort, e.remoteIp, e.remotePort].join('|')}`;
          if (counted.has(flow)) continue;
          counted.add(flow);
          const key = `${set.name}|${p.protocol}|${p.port}|${role}|${e.remoteIp}`;
          const acc = this.#services.touch(key, () => ({ set: set.name, port: p.port, protocol: p.protocol, role, peer: e.remoteIp, rxBytes: 0, txBytes: 0, rx: 0, tx: 0 }),
            (_k, old) => { this.#otherServices.rxBytes += old.rxBytes; this.#otherServices.txBytes += old.txBytes; });
          acc.rxBytes += e.rx; acc.txBytes += e.tx; acc.rx += e.rx; acc.tx += e.tx;
          row('', '', `${p.port}/${p.protocol}`, e.rx, e.tx);
        }
      }
    }
    this.lastPoll = { ts: now, rows: [...rows.values()] };
    this.#hosts.close(dt);
    for (const a of this.#apps.values()) a.hosts.close(dt);
    for (const s of this.#services.values()) { s.rx = perSec(s.rx, dt); s.tx = perSec(s.tx, dt); }
  }

  hosts(): HostUsage[] { return this.#hosts.list(this.names, MAX_HOSTS); }
  otherHosts(): Traffic { return { ...this.#hosts.other }; }
  appHosts(): AppHosts[] {
    return [...this.#apps.entries()].map(([appId, a]) => ({ appId, app: a.name, hosts: a.hosts.list(this.names, HOSTS_PER_APP) }));
  }
  /** Bytes of service rows folded away once MAX_SERVICE_ROWS was reached. */
  otherServices(): Traffic { return { ...this.#otherServices }; }
  services(): ServiceUsage[] {
    return [...this.#services.values()].map(({ rx, tx, ...s }) => ({ ...s, rxBps: rx, txBps: tx }))
      .sort((a, b) => a.set.localeCompare(b.set) || a.port - b.port || a.protocol.localeCompare(b.protocol) || b.rxBytes + b.txBytes - (a.rxBytes + a.txBytes));
  }
}
