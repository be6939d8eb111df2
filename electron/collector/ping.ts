// `ping` output: iputils on Linux (`ping -n -c 1 -W 1`) and macOS (`ping -n -c 1 -t 2`) print the same summary shapes.

import type { PingResult } from './sources.ts';

/**
 * Samples:
 * `64 bytes from 192.168.1.1: icmp_seq=2 ttl=64 time=1260 ms`
 * `3 packets transmitted, 3 received, 0% packet loss, time 1998ms`
 * `rtt min/avg/max/mdev = 6.380/6.654/7.039/0.280 ms`  (macOS: `round-trip min/avg/max/stddev = …`)
 * Returns undefined when the output has no statistics line at all.
 */
export function parsePing(text: string): PingResult | undefined {
  const stats = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(text);
  if (!stats) return undefined;
  const transmitted = Number(stats[1]);
  const received = Number(stats[2]);
  const avg = /(?:rtt|round-trip) min\/avg\/max\/(?:mdev|stddev) = [\d.]+\/([\d.]+)\//.exec(text);
  let rttMs: number | null = avg ? Number(avg[1]) : null;
  if (rttMs === null && received > 0) {
    const t = /time[=<]([\d.]+) ms/.exec(text);
    rttMs = t ? Number(t[1]) : null;
  }
  if (rttMs !== null && !(Number.isFinite(rttMs) && rttMs >= 0)) rttMs = null;
  return { rttMs: received > 0 ? rttMs : null, transmitted, received: Math.min(received, transmitted) };
}
