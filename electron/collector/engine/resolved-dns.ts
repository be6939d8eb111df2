// DNS analytics without the packet capture: systemd-resolved's monitor (sources.dnsMonitor) streams the
// lookups it answers; they are counted as the capture's messages are (queries, responses, NXDOMAIN,
// domains), without latency or apps (the monitor gives neither). Followed only while the capture is not
// running, so no lookup is counted twice; a monitor that fails is tried again a minute later. The same
// lookups feed the intelligence tier, so the DNS-tunnel detector works without the capture too.
import type { DnsAnalytics, SourceStatus } from '../../../shared/index.ts';
import type { DnsMessage } from '../capture.ts';
import type { Sources } from '../sources.ts';
import { asMessages } from '../linux/resolved-monitor.ts';
import { DnsAnalyticsTracker } from './dns-analytics.ts';

const RETRY_MS = 60_000;

export class ResolvedDns {
  #sources: Sources;
  #now: () => number;
  #tracker = new DnsAnalyticsTracker('resolved');
  #feed: { stop(): void } | null = null;
  #status: SourceStatus | null = null;
  #retryAt = 0;
  /** The monitor streamed at least once: its figures are worth showing. */
  #streamed = false;

  #onMessages: (ms: readonly DnsMessage[]) => void;

  /** `onMessages`: each lookup as a query and its response, for the DNS-tunnel detector too. */
  constructor(sources: Sources, now: () => number, onMessages: (ms: readonly DnsMessage[]) => void = () => {}) {
    this.#sources = sources; this.#now = now; this.#onMessages = onMessages;
  }

  /** Why there are no figures (the monitor's reason), or null while it streams or was never tried. */
  get reason(): string | null { return this.#status && this.#status.state !== 'ok' ? (this.#status.state === 'unavailable' ? this.#status.reason : this.#status.message) : null; }

  /** Follows the monitor when `wanted` (no capture) and it is due; stops it otherwise. */
  update(wanted: boolean): void {
    const follow = this.#sources.dnsMonitor;
    if (!wanted || !follow) { this.stop(); return; }
    if (this.#feed || this.#now() < this.#retryAt) return;
    this.#feed = follow.call(this.#sources, (l) => {
      const at = this.#now() * 1000;
      const ms = asMessages(l, at);
      this.#tracker.observe(ms, at);
      this.#onMessages(ms);
    }, (st) => {
      this.#status = st;
      if (st.state === 'ok') this.#streamed = true;
      else { this.#feed?.stop(); this.#feed = null; this.#retryAt = this.#now() + RETRY_MS; }
    });
  }

  /** The figures while the monitor streams (or has streamed); null otherwise. */
  snapshot(): DnsAnalytics | null { return this.#streamed ? this.#tracker.snapshot() : null; }

  stop(): void { this.#feed?.stop(); this.#feed = null; }
}
