// Allow-lists: traffic the detectors never alert on. A built-in list of known benign patterns (below,
// each entry says what it matches and why) and the user's (config.intel.allow: by app, host or domain).
// Parent domains come from the Public Suffix List (tldts), so "a.b.example.co.uk" → "example.co.uk".
import { getDomain } from 'tldts';
import type { AllowEntry } from '../../../../shared/index.ts';
import type { ConnectEvent, EventApp } from './events.ts';

/** Destination ports whose connections are never a scan target or a beacon. */
const BENIGN_PORTS: ReadonlyArray<{ proto: 'tcp' | 'udp'; ports: readonly number[]; why: string }> = [
  // NTP: clients (chronyd, systemd-timesyncd, ntpd) poll their servers at fixed intervals of 64–1024 s,
  // a perfect "beacon" by design.
  { proto: 'udp', ports: [123], why: 'NTP time synchronisation polls at a fixed interval' },
  // mDNS (5353) and LLMNR (5355): local name discovery, announced and re-queried periodically.
  { proto: 'udp', ports: [5353, 5355], why: 'mDNS / LLMNR local discovery repeats periodically' },
  // Push services keep one connection and reconnect on a timer: Apple APNs (5223), Google FCM / mtalk
  // (5228–5230).
  { proto: 'tcp', ports: [5223, 5228, 5229, 5230], why: 'push notification services reconnect on a timer' },
];

/** Multicast groups of local discovery: mDNS (224.0.0.251, ff02::fb), LLMNR (224.0.0.252, ff02::1:3), SSDP (239.255.255.250). */
const BENIGN_HOSTS = new Set(['224.0.0.251', 'ff02::fb', '224.0.0.252', 'ff02::1:3', '239.255.255.250']);

/**
 * Domains (and every name under them) whose traffic is periodic or name-heavy by design. Each:
 * - OS connectivity checks, fetched at every network change and on a timer: connectivitycheck.gstatic.com
 *   and clients3.google.com (Android, ChromeOS), captive.apple.com (macOS/iOS), www.msftconnecttest.com
 *   and www.msftncsi.com (Windows NCSI), nmcheck.gnome.org and network-test.debian.org (NetworkManager on
 *   GNOME and Debian), connectivity-check.ubuntu.com (Ubuntu), detectportal.firefox.com (Firefox),
 *   networkcheck.kde.org (KDE).
 * - Push services: push.apple.com (APNs), mtalk.google.com (FCM), push.services.mozilla.com (Firefox
 *   WebPush), notify.windows.com (WNS) — periodic reconnects.
 * - NTP pools: pool.ntp.org, time.apple.com, time.windows.com, ntp.ubuntu.com — periodic by design.
 * - Reverse DNS: in-addr.arpa and ip6.arpa names are long (an ip6.arpa name is 72 bytes) and a tool
 *   listing connections (ss -r, netstat, this app) asks for many of them at once.
 * - local: mDNS service discovery names (_services._dns-sd._udp.local, long instance names).
 */
const BENIGN_DOMAINS = [
  'connectivitycheck.gstatic.com', 'clients3.google.com', 'captive.apple.com', 'msftconnecttest.com', 'msftncsi.com',
  'nmcheck.gnome.org', 'network-test.debian.org', 'connectivity-check.ubuntu.com', 'detectportal.firefox.com', 'networkcheck.kde.org',
  'push.apple.com', 'mtalk.google.com', 'push.services.mozilla.com', 'notify.windows.com',
  'pool.ntp.org', 'time.apple.com', 'time.windows.com', 'ntp.ubuntu.com',
  'in-addr.arpa', 'ip6.arpa', 'local',
];

/** A name in presentation form, lower case, without the final dot. */
export const normName = (name: string) => { const n = name.toLowerCase(); return n.endsWith('.') ? n.slice(0, -1) : n; };

/**
 * The registrable domain of a name (Public Suffix List, private suffixes too: so "x.github.io" counts
 * under "x.github.io", not "github.io"); a name that has none (a bare suffix, "local", a single label) is
 * its own parent.
 */
export function parentDomain(name: string): string {
  const n = normName(name);
  return getDomain(n, { allowPrivateDomains: true, validateHostname: false }) ?? n;
}

/**
 * QNAME minimisation (RFC 9156): a resolver asks for one more label at a time, and per the RFC's advice
 * under the "_" label (e.g. "_.example.com"), so these probes are not subdomains someone chose.
 */
export const isMinimisationProbe = (name: string) => normName(name).startsWith('_.');

export class Allow {
  #user: readonly AllowEntry[] = [];
  #domains = new Set<string>(BENIGN_DOMAINS);
  #hosts = new Set<string>(BENIGN_HOSTS);
  #apps = new Set<string>();

  /** Takes the user's list (config.intel.allow); called on every config change. */
  set user(entries: readonly AllowEntry[]) {
    if (entries === this.#user) return;
    this.#user = entries;
    this.#domains = new Set([...BENIGN_DOMAINS, ...entries.filter((e) => e.kind === 'domain').map((e) => normName(e.value))]);
    this.#hosts = new Set([...BENIGN_HOSTS, ...entries.filter((e) => e.kind === 'host').map((e) => e.value.toLowerCase())]);
    this.#apps = new Set(entries.filter((e) => e.kind === 'app').map((e) => e.value));
  }

  app(a: EventApp | undefined): boolean { return a !== undefined && (this.#apps.has(a.id) || this.#apps.has(a.name)); }
  host(addr: string): boolean { return this.#hosts.has(addr.toLowerCase()); }
  domain(name: string | null | undefined): boolean {
    if (!name) return false;
    // The name, then each parent in turn ("a.b.c" → "b.c" → "c"): as many lookups as labels.
    for (let n = normName(name); ; ) {
      if (this.#domains.has(n)) return true;
      const dot = n.indexOf('.');
      if (dot < 0) return false;
      n = n.slice(dot + 1);
    }
  }

  /** A connection attempt left out of every detector: benign port, host, app, or a destination name allowed. */
  connect(e: ConnectEvent, dstName: string | null): boolean {
    if (this.host(e.src) || this.host(e.dst) || this.app(e.app) || this.domain(dstName)) return true;
    return BENIGN_PORTS.some((b) => b.proto === e.proto && b.ports.includes(e.dstPort));
  }
}
