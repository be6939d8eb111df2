// /proc/net/udp and udp6: UDP sockets with inode (no byte counters exist for UDP sockets).
import { emptySocket, isUnconnectedPeer, normaliseIp, type SocketSample } from '../sockets.ts';

/** Kernel hex address: IPv4 as one little-endian u32, IPv6 as four of them. */
export function decodeProcAddress(hex: string): string | undefined {
  if (hex.length === 8) {
    const n = Number.parseInt(hex, 16);
    if (!Number.isFinite(n)) return undefined;
    return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
  }
  if (hex.length !== 32 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  const groups: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    // Each 32-bit word is in host (little-endian) byte order.
    const bytes = [word.slice(6, 8), word.slice(4, 6), word.slice(2, 4), word.slice(0, 2)].join('');
    groups.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  return normaliseIp(compressV6(groups.map((g) => g.replace(/^0+(?=.)/, '').toLowerCase())));
}

function compressV6(g: string[]): string {
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return g.join(':');
  const head = g.slice(0, best).join(':');
  const tail = g.slice(best + bestLen).join(':');
  if (head === '' && tail.startsWith('ffff:') && bestLen === 5) {
    // ::ffff:a.b.c.d (mapped) — render the last 32 bits as dotted quad.
    const hi = Number.parseInt(g[6]!, 16), lo = Number.parseInt(g[7]!, 16);
    return `::ffff:${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${head}::${tail}`;
}

/**
 * Sample:
 * `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops`
 * ` 1234: 0100007F:15DF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 36810 2 0000000066616b4f 0`
 */
export function parseProcNetUdp(text: string): SocketSample[] {
  const out: SocketSample[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !f[0]!.endsWith(':')) continue;
    const [lh, lp] = f[1]!.split(':');
    const [rh, rp] = f[2]!.split(':');
    const lip = decodeProcAddress(lh ?? '');
    const rip = decodeProcAddress(rh ?? '');
    const lport = Number.parseInt(lp ?? '', 16), rport = Number.parseInt(rp ?? '', 16);
    const inode = Number(f[9]);
    if (!lip || !rip || !(lport >= 0 && lport <= 65535) || !(rport >= 0 && rport <= 65535) || !Number.isSafeInteger(inode) || inode < 0) continue;
    const s = emptySocket();
    s.protocol = 'udp';
    // UDP "state" 01 = connected (ESTABLISHED), 07 = unconnected.
    s.state = f[3] === '01' ? 'ESTAB' : 'UNCONN';
    s.localIp = lip;
    s.localPort = lport;
    if (!isUnconnectedPeer(rip, rport)) { s.remoteIp = rip; s.remotePort = rport; }
    const uid = Number(f[7]);
    s.uid = Number.isSafeInteger(uid) && uid >= 0 ? uid : null;
    s.inode = inode;
    out.push(s);
  }
  return out;
}
