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
 * given every interface name in index order (`ifconfig -l`). The cut is at the widest printed name
 * (5 characters on older macOS, 10 on newer): rows printed alike (`utun1` for utun1, utun10, utun11)
 * take, in Link# order, the names that print the same, in index order, so each row stays its own
 * interface even where one of them really is called `utun1`. A row no name accounts for keeps its
 * text, suffixed with its Link# (`utun1#30`) when another row prints the same: two interfaces are
 * never merged into one.
 */
export function resolveTruncatedNames(links: NetstatLink[], namesInIndexOrder: string[]): NetstatLink[] {
  const width = Math.max(0, ...links.map((l) => l.name.length));
  const printedAs = (n: string) => n.slice(0, width);
  const rows = new Map<string, NetstatLink[]>();
  for (const l of [...links].sort((a, b) => a.index - b.index)) rows.set(l.name, [...(rows.get(l.name) ?? []), l]);
  const names = new Map<string, string[]>();
  for (const n of new Set(namesInIndexOrder)) names.set(printedAs(n), [...(names.get(printedAs(n)) ?? []), n]);
  const out: NetstatLink[] = [];
  for (const [printed, group] of rows) {
    const full = names.get(printed) ?? [];
    if (full.length === group.length) { group.forEach((l, k) => out.push({ ...l, name: full[k]! })); continue; }
    // Interfaces came or went between the two commands: only a lone row with a lone match is certain.
    for (const l of group) out.push({ ...l, name: group.length === 1 ? (full.length === 1 ? full[0]! : l.name) : `${l.name}#${l.index}` });
  }
  return out.sort((a, b) => a.index - b.index);
}
