// Port scan: one source trying many destination ports of one destination within a window, counting
// only attempts that failed (refused: RST) or went unanswered (timeout), per (source, destination) pair
// as Zeek's scan detection does. A browser opening 30 connections to one CDN succeeds on one port, so it
// never counts; a scanner meets mostly closed ports. Inbound (towards one of this machine's addresses) or
// outbound alike. Times in ms.
import type { AlertEvidence, IntelThresholds } from '../../../../shared/index.ts';
import type { Trigger } from '../alerts.ts';
import type { ConnectEvent, EventApp } from './events.ts';

/**
 * Caps, so that a flood (all 65,535 ports from many sources, spoofed sources) cannot grow memory:
 * at most MAX_PAIRS (source, destination) pairs — the least recently active pair goes first; at most
 * MAX_PORTS distinct ports per pair — the least recently tried port goes first, so a count saturates
 * there and a threshold above MAX_PORTS is never met; and MAX_PORTS_TOTAL ports over all pairs (taken
 * from the least recently active pair), ≈ 13 MB of map entries at most.
 */
export const PORTSCAN_CAPS = { MAX_PAIRS: 4096, MAX_PORTS: 1024, MAX_PORTS_TOTAL: 262_144 } as const;

/** An active scan refreshes its alert at most this often (ms): a flood must not build evidence per packet. */
export const REFRESH_MS = 1000;

interface Pair {
  src: string; dst: string;
  /** Port → last failed attempt (ms), least recent first (re-inserted on each attempt). */
  ports: Map<number, number>;
  app?: EventApp;
  /** When this pair last gave a trigger (ms). */
  triggered: number;
}

export class PortScanDetector {
  #pairs = new Map<string, Pair>();
  #total = 0;

  /** Counts one attempt; a trigger when its pair now has ≥ threshold ports in the window. */
  add(e: ConnectEvent, t: IntelThresholds['portScan'], local: (addr: string) => boolean): Trigger | null {
    if (e.outcome === 'ok') return null;
    const key = `${e.src}|${e.dst}`;
    let p = this.#pairs.get(key);
    if (p) { this.#pairs.delete(key); this.#pairs.set(key, p); } // most recent last
    else {
      if (this.#pairs.size >= PORTSCAN_CAPS.MAX_PAIRS) this.#dropPair(this.#pairs.keys().next().value!);
      p = { src: e.src, dst: e.dst, ports: new Map(), triggered: -Infinity };
      this.#pairs.set(key, p);
    }
    if (e.app) p.app = e.app;
    const had = p.ports.delete(e.dstPort);
    if (had) this.#total--;
    p.ports.set(e.dstPort, e.ts);
    this.#total++;
    if (p.ports.size > PORTSCAN_CAPS.MAX_PORTS) this.#dropOldestPort(p);
    while (this.#total > PORTSCAN_CAPS.MAX_PORTS_TOTAL) this.#dropOldestPort(this.#pairs.values().next().value!);
    // Least recently tried first: ports out of the window go from the front (events come in time order).
    const from = e.ts - t.windowSec * 1000;
    for (const [port, ts] of p.ports) { if (ts >= from) break; p.ports.delete(port); this.#total--; }
    if (p.ports.size < t.ports || e.ts - p.triggered < REFRESH_MS) return null;
    p.triggered = e.ts;
    return trigger(p, from, t, local);
  }

  #dropOldestPort(p: Pair): void {
    const k = p.ports.keys().next();
    if (k.done) return;
    p.ports.delete(k.value); this.#total--;
    if (p.ports.size === 0) this.#pairs.delete(`${p.src}|${p.dst}`);
  }

  #dropPair(key: string): void {
    const p = this.#pairs.get(key)!;
    this.#total -= p.ports.size;
    this.#pairs.delete(key);
  }

  /** Names the app behind a pair already tracked (a connection poll matched one of its sockets). */
  setApp(src: string, dst: string, app: EventApp): void {
    const p = this.#pairs.get(`${src}|${dst}`);
    if (p) p.app = app;
  }

  /** Forgets ports older than the window, and pairs left with none. */
  prune(now: number, t: IntelThresholds['portScan']): void {
    const from = now - t.windowSec * 1000;
    for (const [key, p] of this.#pairs) {
      for (const [port, ts] of p.ports) if (ts < from) { p.ports.delete(port); this.#total--; }
      if (p.ports.size === 0) this.#pairs.delete(key);
    }
  }

  /** Structure sizes, for the flood test and the README's caps. */
  sizes(): { pairs: number; ports: number } { return { pairs: this.#pairs.size, ports: this.#total }; }
}

function trigger(p: Pair, from: number, t: IntelThresholds['portScan'], local: (addr: string) => boolean): Trigger {
  const ports = [...p.ports].filter(([, ts]) => ts >= from).map(([port]) => port).sort((a, b) => a - b);
  // Neither side ours (a router forwarding): no direction.
  const direction = local(p.src) ? 'outbound' : local(p.dst) ? 'inbound' : undefined;
  const evidence: AlertEvidence = {
    source: p.src, destination: p.dst, ...(direction ? { direction } : {}),
    ports: { sample: ports.slice(0, 20), count: ports.length },
    count: ports.length, windowSec: t.windowSec,
    ...(p.app ? { app: p.app } : {}),
    advice: direction === 'inbound'
      ? `${p.src} is probing this machine for open services. If you do not know it, block it in your firewall; make sure only the services you need listen.`
      : direction === 'outbound'
        ? `Something on this machine${p.app ? ` (${p.app.name})` : ''} is probing ${p.dst} for open services. If you did not start a scan, find and stop the program.`
        : `${p.src} is probing ${p.dst} for open services. If you do not know ${p.src}, find out whose it is.`,
  };
  const sat = ports.length >= PORTSCAN_CAPS.MAX_PORTS ? '≥ ' : '';
  return {
    key: `portscan:${p.src}:${p.dst}`, category: 'portscan', severity: ports.length >= 5 * t.ports ? 'critical' : 'warning',
    title: `Port scan from ${p.src}`,
    detail: `${p.src} tried ${sat}${ports.length} ports of ${p.dst} that refused or did not answer within ${t.windowSec} s (threshold ${t.ports})`,
    value: ports.length, threshold: t.ports, evidence,
  };
}
