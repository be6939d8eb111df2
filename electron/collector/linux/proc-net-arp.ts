// The kernel's IPv4 neighbour (ARP) table: which hardware address answers for an address on the link.
import { normaliseMac } from '../mac-address.ts';

/** ATF_COM: the entry is complete (an incomplete one has 00:00:00:00:00:00 while the kernel asks). */
const ATF_COM = 0x2;

/**
 * Sample (header, then one line per neighbour):
 * `10.213.62.1      0x1         0x2         46:6e:8b:61:d8:b1     *        nwfxa`
 * IP address, HW type, flags, HW address, mask, device. Complete entries only, by address.
 */
export function parseProcNetArp(text: string): Map<string, { mac: string; device: string }> {
  const out = new Map<string, { mac: string; device: string }>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const flags = Number.parseInt(f[2]!, 16);
    const mac = normaliseMac(f[3]!);
    if (!Number.isFinite(flags) || !(flags & ATF_COM) || !mac || mac === '00:00:00:00:00:00') continue;
    out.set(f[0]!, { mac, device: f[5]! });
  }
  return out;
}
