// Default gateway from /proc/net/route (IPv4) and /proc/net/ipv6_route.
import { decodeProcAddress } from './proc-net-udp.ts';

export interface DefaultRoute { ip: string; interface: string; metric: number }

/**
 * Sample (tab-separated, addresses little-endian hex):
 * `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT`
 * `eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0`
 * Returns the lowest-metric default route that has a gateway (flag RTF_GATEWAY 0x2, RTF_UP 0x1).
 */
export function parseProcNetRoute(text: string): DefaultRoute | undefined {
  let best: DefaultRoute | undefined;
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[1] !== '00000000' || f[7] !== '00000000') continue;
    const flags = Number.parseInt(f[3]!, 16);
    if (!(flags & 0x1) || !(flags & 0x2)) continue;
    const ip = decodeProcAddress(f[2]!);
    const metric = Number(f[6]);
    if (!ip || !Number.isSafeInteger(metric) || metric < 0 || !/^[0-9a-f]{4}$/i.test(f[3]!)) continue;
    if (!best || metric < best.metric) best = { ip, interface: f[0]!, metric };
  }
  return best;
}

/**
 * Sample (dest, dest_len, src, src_len, next hop, metric, refcnt, use, flags, iface; hex, big-endian):
 * `00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 wlan0`
 */
export function parseProcNetIpv6Route(text: string): DefaultRoute | undefined {
  let best: DefaultRoute | undefined;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^0{32}$/.test(f[0]!) || f[1] !== '00' || /^0{32}$/.test(f[4]!) || f[9] === 'lo') continue;
    if (!/^[0-9a-f]{8}$/i.test(f[5]!) || !/^[0-9a-f]{8}$/i.test(f[8]!)) continue;
    const flags = Number.parseInt(f[8]!, 16);
    if (!(flags & 0x1) || !(flags & 0x2) || !/^[0-9a-f]{32}$/i.test(f[4]!)) continue;
    const groups = f[4]!.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ''));
    const ip = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
    const metric = Number.parseInt(f[5]!, 16);
    if (!best || metric < best.metric) best = { ip, interface: f[9]!, metric };
  }
  return best;
}
