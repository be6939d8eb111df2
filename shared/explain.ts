// Alerts that explain themselves (issue 14): an alert and its evidence → what happened, in a sentence a
// person who is not a network engineer follows, and what to do about it. One wording for the Alerts
// view, the desktop notification and the dashboard. Pure: rates and sizes through the caller's units.
import type { Alert } from './contract/health.ts';
import { formatBytes, formatRate } from './format.ts';

export interface Explanation {
  /** What happened, with the figures that matter. */
  what: string;
  /** What to do about it. */
  todo: string;
}

export interface ExplainUnits { rate(bytesPerSec: number): string; bytes(n: number): string }
const DEFAULT_UNITS: ExplainUnits = { rate: (b) => formatRate(b), bytes: (n) => formatBytes(n) };

/** Alert keys of the network-change detector: the DNS servers, and a gateway's MAC address. */
export const NETWORK_CHANGE_DNS_KEY = 'network-change:dns';
/** The new-app detector's notice that its file of learned apps was damaged or cannot be written. */
export const NEW_APP_STORE_KEY = 'new-app:store';
export const networkChangeGatewayKey = (ip: string): string => `network-change:gateway:${ip}`;

/** "3 ports (22, 80, 443)" / "120 ports (1, 2, 3, … )": a count with the sample that was kept. */
function portsText(p: { sample: number[]; count: number }): string {
  const more = p.count > p.sample.length ? ', …' : '';
  return `${p.count} different port${p.count === 1 ? '' : 's'}${p.sample.length ? ` (${p.sample.join(', ')}${more})` : ''}`;
}

/** Seconds or minutes, as a person says a period: "5 s", "1.5 min". */
function spanText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 90_000) return `${Number((ms / 1000).toPrecision(3))} s`;
  return `${Number((ms / 60_000).toPrecision(2))} min`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function explain(a: Alert, units: ExplainUnits = DEFAULT_UNITS): Explanation {
  const e = a.evidence ?? {};
  const app = e.app?.name;
  const out = (what: string, todo: string): Explanation => ({ what, todo: e.advice ?? todo });
  switch (a.category) {
    case 'bandwidth': {
      const rx = a.direction !== 'tx';
      const where = a.interface ? ` on ${a.interface}` : '';
      const who = app ? `; most of it by ${app}` : '';
      const level = a.severity === 'critical' ? ', more than twice' : ', above';
      return out(
        `This computer is ${rx ? 'downloading' : 'uploading'} at ${units.rate(a.value)}${where}${level} your alert threshold of ${units.rate(a.threshold)}${who}.`,
        `If you expected a large ${rx ? 'download' : 'upload'} (an update, a backup, a video), nothing to do; otherwise look at ${app ?? 'the busiest app'} in Apps, and raise the threshold in Settings if this is normal for you.`,
      );
    }
    case 'quota': {
      const over = a.severity === 'critical';
      const limit = over ? a.threshold : a.threshold / 0.8;
      const pct = limit > 0 ? Math.floor((a.value / limit) * 100) : 0;
      const where = a.interface ? ` on ${a.interface}` : '';
      return out(
        over ? `The data plan${where} is used up: ${units.bytes(a.value)} of ${units.bytes(limit)} since the last reset.`
          : `${pct} % of the data plan${where} is used: ${units.bytes(a.value)} of ${units.bytes(limit)} since the last reset.`,
        over ? 'Further traffic may cost extra or be slowed by your provider: pause large downloads and backups until the reset.'
          : 'Go easy on large downloads, video and backups until the plan resets; change the limit in Settings if your plan changed.',
      );
    }
    case 'portscan': {
      const ports = e.ports ? portsText(e.ports) : plural(e.count ?? a.value, 'port');
      const within = e.windowSec ? ` within ${spanText(e.windowSec * 1000)}` : '';
      if (e.direction === 'outbound') {
        return out(
          `${app ?? 'A program on this computer'} tried ${ports} on ${e.destination ?? 'another host'}${within}: that is a port scan, a search for services to attack.`,
          `If you ran a scanner (nmap or a network tool) on purpose, add it to the allow-list in Settings; if not, find ${app ?? 'the program'} in Apps and remove it — unexpected scanning is a sign of malware.`,
        );
      }
      // Neither side is this machine (traffic passing through it, a bridge or a router): say both hosts.
      const target = e.direction === 'inbound' ? 'this computer' : e.destination ?? 'this computer';
      return out(
        `${e.source ?? 'Another host'} tried ${ports} on ${target}${within}: that is a port scan, a search for services to attack.`,
        `If ${e.source ?? 'it'} is a device you know (a network scanner your IT runs), add it to the allow-list in Settings; otherwise block it in your firewall or router, and turn off services on this computer that you do not use.`,
      );
    }
    case 'beaconing': {
      const who = app ?? e.source ?? 'A program on this computer';
      const to = e.destination ? `${e.destination}${e.ports?.sample.length === 1 ? ` port ${e.ports.sample[0]}` : ''}` : 'the same host';
      const period = e.periodMs ? ` every ${spanText(e.periodMs)}` : ' at a steady rhythm';
      const jitter = e.jitterPct !== undefined ? ` (varying by only ${Math.round(e.jitterPct)} %)` : '';
      const times = e.count ? `${plural(e.count, 'time')}, ` : '';
      return out(
        `${who} contacted ${to} ${times}regularly${period}${jitter}: software that "phones home" on a timer looks like this — update checks and chat apps, but also malware waiting for orders.`,
        `If you know ${app ?? 'the program'} and ${e.destination ?? 'the host'} (an updater, a sync or chat app), add it to the allow-list in Settings; if not, look it up in Connections and remove the program.`,
      );
    }
    case 'dns-tunnel': {
      const who = app ?? e.source ?? 'A program on this computer';
      const domain = e.domain ?? 'one domain';
      const example = e.names?.[0] ? ` (for example ${e.names[0]})` : '';
      if (e.uniqueSubdomains !== undefined || e.queriesPerMin !== undefined) {
        return out(
          `${who} looked up ${e.uniqueSubdomains ?? 'many'} different names under ${domain} in a minute (${e.queriesPerMin ?? a.value} queries)${example}: data can be smuggled out hidden in DNS names like these (a DNS tunnel).`,
          `Some security and anti-virus products look names up this way: if you trust ${domain}, add it to the allow-list in Settings; otherwise find ${app ?? 'the program'} in Connections and stop it.`,
        );
      }
      const long = e.names?.[0] ? ` of ${e.names[0].length} characters` : '';
      return out(
        `${who} looked up an unusually long name${long} under ${domain}${example}: names this long can carry hidden data (a DNS tunnel).`,
        `If you trust ${domain} (some security products and CDNs use long names), add it to the allow-list in Settings; otherwise find ${app ?? 'the program'} in Connections and stop it.`,
      );
    }
    case 'new-app': {
      if (a.key === NEW_APP_STORE_KEY) {
        return out(`NetWatch could not use its list of apps seen before: ${a.detail}.`, 'Nothing to do: apps already running are learned again without alerts; only apps that start using the network later are reported.');
      }
      const name = app ?? 'An app';
      const to = e.destination ? `, talking to ${e.destination}` : '';
      return out(
        `${name} used the network for the first time since NetWatch watches this computer${to}.`,
        `If you just installed or started ${app ?? 'it'}, nothing to do; if you do not recognise it, look it up in Apps and remove it.`,
      );
    }
    case 'network-change': {
      if (a.key === NETWORK_CHANGE_DNS_KEY) {
        return out(
          `This computer's DNS server changed from ${e.before ?? 'none'} to ${e.after ?? 'none'}: every web address you type is now looked up there.`,
          'Expected when you join another network or turn a VPN on or off; if you did neither, someone may be redirecting your lookups — check the DNS settings of this computer and of your router.',
        );
      }
      return out(
        `Your gateway${e.destination ? ` ${e.destination}` : ''} now answers from a different device: its hardware (MAC) address changed from ${e.before ?? 'unknown'} to ${e.after ?? 'unknown'}.`,
        'Expected after the router was replaced or restarted with another network card; otherwise another device may be intercepting your traffic (ARP spoofing) — disconnect from this network and tell whoever runs it.',
      );
    }
    default: {
      const never: never = a.category;
      return { what: a.detail, todo: String(never) };
    }
  }
}

/** The explanation as one text (a notification's body). */
export const explainText = (a: Alert, units?: ExplainUnits): string => { const x = explain(a, units); return `${x.what} ${x.todo}`; };
