// New-application detector (the core of Little Snitch and GlassWire): the first time an app — by its
// identity (AppUsage.id, from the executable path), never its pid — talks to the outside, one 'new-app'
// alert. What it has learned is kept in a small JSON file (known-apps.ts), so a restart does not alert
// again. Pure apart from that store: apps in, triggers out.
import type { AllowEntry } from '../../../shared/index.ts';
import type { Trigger } from './alerts.ts';
import type { KnownApps } from './known-apps.ts';

/**
 * The first run (no file of known apps yet) learns silently for this long: whatever already runs when
 * NetWatch is installed is not news to the user, and a burst of 40 alerts at install would teach them to
 * mute the detector (GlassWire and Little Snitch's "silent mode" both start by learning). Apps first
 * seen after it alert. The window is counted from the file's creation, so a restart inside it continues it.
 */
export const LEARN_MS = 5 * 60_000;

/** An app with traffic or a connection to a remote (non-loopback, non-link-local) address in the last poll. */
export interface OutsideApp { id: string; name: string; exe: string | null; remote: string }

/** Link-local, multicast, broadcast and unspecified addresses: the local network's chatter, not "the outside". */
export function isLocalOnly(ip: string): boolean {
  const v = ip.toLowerCase();
  if (v.includes(':')) return /^fe[89ab]/.test(v) || v.startsWith('ff') || v === '::' || v === '::1';
  const [a, b] = v.split('.').map(Number) as [number, number];
  return a === 169 && b === 254 || a >= 224 || a === 0 || a === 127;
}

export class NewAppDetector {
  #known: KnownApps;
  constructor(known: KnownApps) { this.#known = known; }

  /**
   * `alert` false: learn only (the detector is switched off). The user's allow-list: an allowed app is
   * learned without an alert; traffic to an allowed host does not count as talking to the outside.
   */
  check(apps: readonly OutsideApp[], now: number, alert = true, allow: readonly AllowEntry[] = []): Trigger[] {
    const out: Trigger[] = [];
    const learning = now - this.#known.since < LEARN_MS;
    const allowed = (kind: AllowEntry['kind'], v: string) => allow.some((e) => e.kind === kind && e.value.trim() === v);
    for (const a of apps) {
      if (allowed('host', a.remote)) continue;
      if (this.#known.has(a.id)) { this.#known.seen(a.id, now); continue; }
      this.#known.add(a.id, a.name, now);
      if (!alert || learning || allowed('app', a.id)) continue;
      out.push({
        key: `new-app:${a.id}`, category: 'new-app', severity: 'info',
        title: `${a.name} used the network for the first time`,
        detail: `${a.exe ?? a.id} talked to ${a.remote}`,
        value: 1, threshold: 1, evidence: { app: { id: a.id, name: a.name }, destination: a.remote },
      });
    }
    this.#known.flush(now);
    return out;
  }
}
