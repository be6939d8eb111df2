// Which alerts become desktop notifications: one per alert key per 5 minutes, at most N a minute
// overall, a burst folded into one summary, and categories the user muted never shown. A single
// notification says what happened and what to do (shared/explain.ts), in the user's units.
import { explainText, formatBytes, formatRate, type Alert, type ExplainUnits, type Settings } from '../../shared/index.ts';

export interface NotifyPolicy {
  /** Same alert key at most once per this many ms. */
  perKeyMs: number;
  /** At most this many notifications per minute overall. */
  perMinute: number;
  /** Alerts arriving together beyond this many are grouped into one notification. */
  groupAbove: number;
  /** Categories the user does not want notifications for. */
  muted: ReadonlyArray<Alert['category']>;
  /** Rates and sizes in the user's units (the settings'); SI bytes when absent. */
  units?: ExplainUnits;
}

export const DEFAULT_NOTIFY_POLICY: NotifyPolicy = { perKeyMs: 5 * 60_000, perMinute: 5, groupAbove: 2, muted: [] };

/** The policy the settings ask for: their rate limit and mutes, sentences in their units. */
export const notifyPolicyOf = (s: Settings): NotifyPolicy => ({
  ...DEFAULT_NOTIFY_POLICY, perMinute: s.notifications.perMinute, muted: s.notifications.muted,
  units: { rate: (b) => formatRate(b, s.units, s.prefix), bytes: (n) => formatBytes(n, s.prefix) },
});

export type Notice =
  | { kind: 'single'; alert: Alert; title: string; body: string }
  | { kind: 'group'; alerts: Alert[]; title: string; body: string };

export class NotificationGate {
  #policy: NotifyPolicy;
  #lastByKey = new Map<string, number>();
  #sent: number[] = [];

  constructor(policy: NotifyPolicy = DEFAULT_NOTIFY_POLICY) { this.#policy = policy; }

  set policy(p: NotifyPolicy) { this.#policy = p; }

  /** The notifications to show for alerts raised at `now` (the engine's newly raised ones). */
  admit(raised: Alert[], now: number): Notice[] {
    const p = this.#policy;
    this.#sent = this.#sent.filter((t) => now - t < 60_000);
    const fresh = raised.filter((a) => {
      if (p.muted.includes(a.category)) return false;
      const last = this.#lastByKey.get(a.key);
      return last === undefined || now - last >= p.perKeyMs;
    });
    if (fresh.length === 0) return [];
    const budget = p.perMinute - this.#sent.length;
    if (budget <= 0) return [];
    for (const a of fresh) this.#lastByKey.set(a.key, now);
    let out: Notice[];
    if (fresh.length > p.groupAbove || fresh.length > budget) {
      const worst = fresh.some((a) => a.severity === 'critical') ? 'critical' : 'warning';
      out = [{
        kind: 'group', alerts: fresh,
        title: `${fresh.length} new alerts (${worst})`,
        body: fresh.slice(0, 3).map((a) => a.title).join('\n') + (fresh.length > 3 ? `\n… and ${fresh.length - 3} more` : ''),
      }];
    } else {
      out = fresh.map((a) => ({ kind: 'single' as const, alert: a, title: `${a.severity === 'critical' ? 'Critical' : a.severity === 'warning' ? 'Warning' : 'Info'}: ${a.title}`, body: explainText(a, p.units) }));
    }
    for (let i = 0; i < out.length; i++) this.#sent.push(now);
    return out;
  }
}

/** Alerts in `active` not seen in an earlier snapshot: the ones the engine raised since. */
export class RaisedAlerts {
  #seen = new Set<string>();
  next(active: readonly Alert[]): Alert[] {
    const fresh = active.filter((a) => !this.#seen.has(a.id));
    for (const a of fresh) this.#seen.add(a.id);
    // Ids of alerts long gone need not be kept: the active set is small, the history 100.
    if (this.#seen.size > 1000) this.#seen = new Set(active.map((a) => a.id));
    return fresh;
  }
}

/**
 * Keeps each shown notification referenced until the user clicked or dismissed it: Electron's
 * Notification is a JS object like any other, and one that is garbage-collected loses its click
 * handler (the click then does nothing). Bounded: past `max` the oldest is let go (the OS has long
 * folded it into its notification centre by then).
 */
export class Retained<T> {
  #items = new Set<T>();
  readonly max: number;
  constructor(max = 50) { this.max = max; }
  get size(): number { return this.#items.size; }
  keep(item: T): void {
    this.#items.add(item);
    for (const old of this.#items) {
      if (this.#items.size <= this.max) break;
      this.#items.delete(old);
    }
  }
  release(item: T): void { this.#items.delete(item); }
  has(item: T): boolean { return this.#items.has(item); }
}
