// macOS `netstat -ibn` (or `-ibnW`): per-interface counters from the `<Link#N>` rows, 64-bit on
// current macOS. Address rows repeat the link's counters with `-` for errors and are skipped.
import type { InterfaceCounters } from '../../../shared/index.ts';

export interface NetstatLink {
  /** As printed: the narrow layout cuts names at 5 characters (`bridg`), see resolveTruncatedNames. */
  name: string;
  /** A `*` after the name means the interface is down. */
  up: boolean;
  mtu: number | null;
  /** Interface index from `<Link#N>`. */
  index: number;
  mac: string | null;
  /** The row's counter columns by header name (Ipkts, Ierrs, Ibytes, Opkts, Oerrs, Obytes, Coll, Drop). */
  values: Record<string, number>;
}

const MAC = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i;

/**
 * Sample (header, then rows; `-b` adds Ibytes/Obytes, `-d` adds Drop):
 * `Name  Mtu   Network       Address            Ipkts Ierrs     Ibytes    Opkts Oerrs     Obytes  Coll Drop`
 * `en0   1500  <Link#4>    a8:66:7f:dd:ee:ff  5708989     0 7295722068  3494252     0  379533492     0 230`
 * `gif0* 1280  <Link#2>                             0     0          0        0     0          0     0   0`
 */
export function parseNetstatLinks(text: string): NetstatLink[] {
  const lines = text.split('\n');
  const header = lines.find((l) => /^Name\s+Mtu\s+Network\s+Address/.test(l));
  if (!header) return [];
  const cols = header.trim().split(/\s+/).slice(4); // counter columns after Address
  const out: NetstatLink[] = [];
  for (const line of lines) {
    const tok = line.trim().split(/\s+/);
    const link = /^<Link#(\d+)>$/.exec(tok[2] ?? '');
    if (!link || !tok[0]) continue;
    let rest = tok.slice(3);
    let mac: string | null = null;
    if (rest.length === cols.length + 1) {
      mac = MAC.test(rest[0]!) ? rest[0]!.toLowerCase() : null;
      rest = rest.slice(1);
    }
    if (rest.length !== cols.length) continue;
    const n = rest.map(Number);
    if (n.some((v) => !Number.isSafeInteger(v) || v < 0)) continue;
    const mtu = Number(tok[1]);
    out.push({
      name: tok[0].replace(/\*$/, ''), up: !tok[0].endsWith('*'), mtu: Number.isSafeInteger(mtu) && mtu > 0 ? mtu : null,
      index: Number(link[1]), mac, values: Object.fromEntries(cols.map((c, i) => [c, n[i]!])),
    });
  }
  return out;
}

/** The link's counters; null without byte columns (plain `netstat -i` has none). */
export function countersOf(l: NetstatLink): InterfaceCounters | null {
  const v = l.values;
  if (v['Ibytes'] === undefined || v['Obytes'] === undefined) return null;
  return {
    rxBytes: v['Ibytes'], rxPackets: v['Ipkts'] ?? 0, rxErrors: v['Ierrs'] ?? 0, rxDrops: 0,
    txBytes: v['Obytes'], txPackets: v['Opkts'] ?? 0, txErrors: v['Oerrs'] ?? 0, txDrops: v['Drop'] ?? 0, collisions: v['Coll'] ?? 0,
  };
}

/**
 * Restores names the narrow layout cut short (`bridg` → `bridge0`, two `vmnet` → `vmnet1`, `vmnet8`),
 * given every interface name in index order (`ifconfig -l`): each cut name takes the first unused full
 * name it begins, in index order. Names that are already whole, or match nothing, stay as they are.
 */
export function resolveTruncatedNames(links: NetstatLink[], namesInIndexOrder: string[]): NetstatLink[] {
  const whole = new Set(namesInIndexOrder);
  const used = new Set(links.filter((l) => whole.has(l.name)).map((l) => l.name));
  return [...links].sort((a, b) => a.index - b.index).map((l) => {
    if (whole.has(l.name)) return l;
    const full = namesInIndexOrder.find((n) => n.startsWith(l.name) && !used.has(n));
    if (!full) return l;
    used.add(full);
    return { ...l, name: full };
  });
}
