// Alerts: detectors look at each snapshot's data and raise or refresh alerts in one store.
// The bandwidth detector is the first; port-scan, beaconing and DNS-tunnel detectors join the same way.
import type { Alert, AppUsage, Interface, QuotaStatus } from '../../../shared/index.ts';
import { formatBytes, formatRate } from '../../../shared/index.ts';

/** What a detector reports: a condition seen now, identified by `key`. */
export type Trigger = Omit<Alert, 'id' | 'firstTs' | 'lastTs' | 'active'>;

export interface Detector<In> { check(input: In, now: number): Trigger[] }

/** Alerts stay active this long after their last trigger. */
export const ACTIVE_FOR_MS = 60_000;
export const HISTORY_MAX = 100;

export class AlertStore {
  #active = new Map<string, Alert>();
  #history: Alert[] = [];
  #seq = 0;

  /** Applies this tick's triggers; returns the alerts raised anew (for notifications). */
  apply(triggers: Trigger[], now: number): Alert[] {
    const raised: Alert[] = [];
    for (const t of triggers) {
      const cur = this.#active.get(t.key);
      if (cur) {
        // Escalation keeps the alert's identity; a notification policy may still re-notify on severity.
        Object.assign(cur, { ...t, lastTs: now, active: true, severity: rank(t.severity) > rank(cur.severity) ? t.severity : cur.severity });
        continue;
      }
      const alert: Alert = { ...t, id: `${now.toString(36)}-${(++this.#seq).toString(36)}`, firstTs: now, lastTs: now, active: true };
      this.#active.set(t.key, alert);
      raised.push(alert);
    }
    for (const [key, a] of this.#active) {
      if (now - a.lastTs >= ACTIVE_FOR_MS) {
        this.#active.delete(key);
        this.#history.push({ ...a, active: false });
        if (this.#history.length > HISTORY_MAX) this.#history.shift();
      }
    }
    return raised;
  }

  active(): Alert[] { return [...this.#active.values()].map((a) => ({ ...a })); }
  /** Ended alerts, newest last, at most HISTORY_MAX. */
  history(): Alert[] { return this.#history.map((a) => ({ ...a })); }
}

const rank = (s: Alert['severity']) => (s === 'critical' ? 2 : s === 'warning' ? 1 : 0);

/**
 * RX or TX on an interface above the threshold for two consecutive samples: Warning;
 * at twice the threshold: Critical. Loopback is ignored (local traffic is not bandwidth use).
 * The app named is the one that moved the most in that direction over the last connection poll,
 * loopback left out (its rates are over that window, the interface's over the last tick).
 */
export class BandwidthDetector implements Detector<Interface[]> {
  #streak = new Map<string, number>();
  thresholdBps: number;
  constructor(thresholdBps: number) { this.thresholdBps = thresholdBps; }

  check(interfaces: Interface[], _now: number, apps: readonly AppUsage[] = []): Trigger[] {
    const out: Trigger[] = [];
    const seen = new Set<string>();
    for (const i of interfaces) {
      if (i.type === 'Loopback') continue;
      for (const dir of ['rx', 'tx'] as const) {
        const key = `bandwidth:${i.name}:${dir}`;
        seen.add(key);
        const value = dir === 'rx' ? i.rxBps : i.txBps;
        const streak = value > this.thresholdBps ? (this.#streak.get(key) ?? 0) + 1 : 0;
        this.#streak.set(key, streak);
        if (streak < 2) continue;
        const critical = value >= 2 * this.thresholdBps;
        const top = busiest(apps, dir);
        out.push({
          key, category: 'bandwidth', severity: critical ? 'critical' : 'warning',
          title: `High ${dir === 'rx' ? 'download' : 'upload'} on ${i.name}`,
          detail: `${formatRate(value)} ${dir === 'rx' ? 'received' : 'sent'} for ${streak} samples (threshold ${formatRate(this.thresholdBps)})`,
          value, threshold: this.thresholdBps, interface: i.name, direction: dir,
          ...(top ? { evidence: { app: { id: top.id, name: top.app } } } : {}),
        });
      }
    }
    for (const k of this.#streak.keys()) if (!seen.has(k)) this.#streak.delete(k);
    return out;
  }
}

/** The app with the most external traffic in one direction now; null when none moved any. */
function busiest(apps: readonly AppUsage[], dir: 'rx' | 'tx'): AppUsage | null {
  let best: AppUsage | null = null, bestBps = 0;
  for (const a of apps) {
    const bps = dir === 'rx' ? a.rxBps - a.loopback.rxBps : a.txBps - a.loopback.txBps;
    if (bps > bestBps) { best = a; bestBps = bps; }
  }
  return best;
}

/**
 * A data plan at 80 % of its limit: Warning; at 100 %: Critical (vnStat users' most asked feature).
 * The alert stays active while the plan is over, and ends with the period's reset.
 */
export class QuotaDetector implements Detector<QuotaStatus[]> {
  check(quotas: QuotaStatus[], _now: number): Trigger[] {
    const out: Trigger[] = [];
    for (const q of quotas) {
      if (q.unavailable !== null || q.pct < 80) continue;
      const over = q.pct >= 100;
      const reset = new Date(q.periodEnd).toDateString();
      out.push({
        key: `quota:${q.interface}:${q.periodStart}`, category: 'quota', severity: over ? 'critical' : 'warning',
        title: over ? `Data plan on ${q.interface} used up` : `${Math.floor(q.pct)} % of the data plan on ${q.interface} used`,
        detail: `${formatBytes(q.usedBytes)} of ${formatBytes(q.limitBytes)} since the reset; the next reset is ${reset}`,
        value: q.usedBytes, threshold: over ? q.limitBytes : 0.8 * q.limitBytes, interface: q.interface,
      });
    }
    return out;
  }
}
