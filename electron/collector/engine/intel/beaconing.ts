// Beaconing: connection attempts from this machine to the same (source, destination, port) at a
// regular period, as malware calling home does. Regularity is robust, after RITA's scoring: the jitter
// is the median absolute deviation of the inter-arrival times over their median, and an interval of
// about twice the period counts as two beats (one missed beat does not hide a beacon). Times in ms.
import type { AlertEvidence, IntelThresholds } from '../../../../shared/index.ts';
import type { Trigger } from '../alerts.ts';
import type { ConnectEvent, EventApp } from './events.ts';

/**
 * Attempts closer than MERGE_MS to the previous one are the same beat (a client opening two sockets at
 * once, a retry). A period under MIN_PERIOD_MS is a burst, not a beacon. Caps: MAX_FLOWS tuples (the
 * least recently active goes first), MAX_BEATS beats each; a tuple idle IDLE_MS is forgotten at a tick.
 */
export const BEACON_LIMITS = { MERGE_MS: 500, MIN_PERIOD_MS: 2000, MAX_FLOWS: 4096, MAX_BEATS: 32, IDLE_MS: 2 * 3_600_000 } as const;
/** A gap longer than this many periods is a pause, after which a series starts anew. */
const PAUSE_FACTOR = 10;
/** Intervals shown in the evidence (the contract's maximum). */
const SHOWN = 20;

interface Flow { src: string; dst: string; dstPort: number; beats: number[]; app?: EventApp }

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The period and jitter of inter-arrival times `d` (ms, oldest first), or null when they are no series.
 * Each interval is k ≈ d / period beats: k = 1, or 2 for a missed beat (at most one per four intervals),
 * whose interval counts as d / 2. A pause of over PAUSE_FACTOR periods (the machine slept, the network
 * was down) ends the series and only the intervals after it count; a gap shorter than that but over two
 * periods is no beacon. (Truncating at every such gap let ordinary random arrivals — a person browsing
 * one CDN — pass: each new attempt is one more try at a short regular-looking run; the recorded lab
 * traffic of test/unit/collector/intel/replay.test.ts showed it.)
 * The jitter is MAD / median of those intervals, %. `outliers`: intervals further than `bandPct` (the
 * detector passes the jitter threshold) from the period — the MAD alone ignores up to half of them, so random arrivals
 * can have a small MAD; a beacon has (almost) none. `beats` = attempts in the series (intervals + 1).
 */
export function regularity(d: readonly number[], bandPct = 15): { periodMs: number; jitterPct: number; beats: number; used: number; outliers: number } | null {
  let xs = [...d];
  for (let pass = 0; pass < 2 && xs.length > 0; pass++) {
    const p = median(xs);
    if (p <= 0) return null;
    const gap = xs.findLastIndex((x) => x > PAUSE_FACTOR * p);
    if (gap < 0) break;
    xs = xs.slice(gap + 1);
  }
  if (xs.length === 0) return null;
  const p0 = median(xs);
  const norm: number[] = [];
  let missed = 0;
  for (const x of xs) {
    const k = Math.max(1, Math.round(x / p0));
    if (k > 2) return null;
    if (k === 2) missed++;
    norm.push(x / k);
  }
  if (missed > Math.max(1, Math.floor(xs.length / 4))) return null;
  const periodMs = median(norm);
  const mad = median(norm.map((b) => Math.abs(b - periodMs)));
  const outliers = norm.filter((b) => Math.abs(b - periodMs) > (bandPct / 100) * periodMs).length;
  return { periodMs, jitterPct: (100 * mad) / periodMs, beats: xs.length + 1, used: xs.length, outliers };
}

export class BeaconDetector {
  #flows = new Map<string, Flow>();

  /** Counts one attempt from this machine; a trigger when its tuple's beats are a regular series. */
  add(e: ConnectEvent, t: IntelThresholds['beaconing']): Trigger | null {
    const key = `${e.src}|${e.dst}|${e.dstPort}`;
    let f = this.#flows.get(key);
    if (f) { this.#flows.delete(key); this.#flows.set(key, f); }
    else {
      if (this.#flows.size >= BEACON_LIMITS.MAX_FLOWS) this.#flows.delete(this.#flows.keys().next().value!);
      f = { src: e.src, dst: e.dst, dstPort: e.dstPort, beats: [] };
      this.#flows.set(key, f);
    }
    if (e.app) f.app = e.app;
    const last = f.beats.at(-1);
    if (last !== undefined && e.ts - last < BEACON_LIMITS.MERGE_MS) return null; // same beat (or out of order)
    f.beats.push(e.ts);
    if (f.beats.length > BEACON_LIMITS.MAX_BEATS) f.beats.shift();
    if (f.beats.length < t.attempts) return null;
    const d = f.beats.slice(1).map((b, i) => b - f.beats[i]!);
    // Outliers: beyond the jitter threshold itself, one in ten tolerated. Twice the threshold and one in
    // five let 4–7 % of random (Poisson) flows alert within two minutes (detectors.test.ts, the bench).
    const r = regularity(d, t.jitterPct);
    if (!r || r.beats < t.attempts || r.periodMs < BEACON_LIMITS.MIN_PERIOD_MS || r.jitterPct >= t.jitterPct) return null;
    if (r.outliers > Math.floor(r.used / 10)) return null;
    return trigger(f, d.slice(-Math.min(r.used, SHOWN)), r, t);
  }

  /** Names the app behind a tuple already tracked (a connection poll matched one of its sockets). */
  setApp(src: string, dst: string, dstPort: number, app: EventApp): void {
    const f = this.#flows.get(`${src}|${dst}|${dstPort}`);
    if (f) f.app = app;
  }

  /** Forgets tuples idle longer than IDLE_MS. */
  prune(now: number): void {
    for (const [k, f] of this.#flows) if (now - f.beats.at(-1)! > BEACON_LIMITS.IDLE_MS) this.#flows.delete(k);
  }

  sizes(): { flows: number; beats: number } {
    let beats = 0;
    for (const f of this.#flows.values()) beats += f.beats.length;
    return { flows: this.#flows.size, beats };
  }
}

const secs = (ms: number) => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);

function trigger(f: Flow, intervals: number[], r: NonNullable<ReturnType<typeof regularity>>, t: IntelThresholds['beaconing']): Trigger {
  const who = f.app ? f.app.name : f.src;
  const evidence: AlertEvidence = {
    source: f.src, destination: f.dst, direction: 'outbound',
    ports: { sample: [f.dstPort], count: 1 },
    intervalsMs: intervals.map((x) => Math.round(x)), periodMs: Math.round(r.periodMs), jitterPct: Math.round(r.jitterPct * 10) / 10,
    count: r.beats, windowSec: Math.round(intervals.reduce((a, b) => a + b, 0) / 1000),
    ...(f.app ? { app: f.app } : {}),
    advice: `${who} connects to ${f.dst} port ${f.dstPort} every ${secs(r.periodMs)} like clockwork, as software calling home does. If you do not recognise the program or the destination, look it up and remove it; if it is yours (an updater, a sync client), allow it.`,
  };
  return {
    key: `beaconing:${f.src}:${f.dst}:${f.dstPort}`, category: 'beaconing', severity: 'warning',
    title: `Regular connections to ${f.dst}:${f.dstPort}`,
    detail: `${r.beats} connection attempts from ${who}, one every ${secs(r.periodMs)} (jitter ${evidence.jitterPct} %, threshold ${t.jitterPct} %)`,
    value: r.jitterPct, threshold: t.jitterPct, evidence,
  };
}
