// DNS server in use: /etc/resolv.conf, and behind systemd-resolved's stub the real upstream.

/** Stub listeners of systemd-resolved: resolv.conf pointing here says nothing of the real server. */
export const RESOLVED_STUBS = new Set(['127.0.0.53', '127.0.0.54']);

/** Sample: `nameserver 10.255.255.53` (comments with # or ;). Returns servers in order. */
export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const m = /^nameserver\s+(\S+)/.exec(line);
    if (m) out.push(m[1]!.replace(/%.*$/, ''));
  }
  return out;
}

/**
 * `resolvectl status` sample:
 * `Link 5 (wlp4s0)` … `Protocols: +DefaultRoute …` … `Current DNS Server: 192.168.1.1`
 * Prefers the Global section's current server, then a link with +DefaultRoute, then any link.
 */
export function parseResolvectlStatus(text: string): { server: string; link: string | null } | undefined {
  interface Section { link: string | null; current: string | null; servers: string[]; defaultRoute: boolean }
  const sections: Section[] = [];
  let cur: Section | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === 'Global') { cur = { link: null, current: null, servers: [], defaultRoute: true }; sections.push(cur); continue; }
    const link = /^Link \d+ \(([^)]+)\)$/.exec(line);
    if (link) { cur = { link: link[1]!, current: null, servers: [], defaultRoute: false }; sections.push(cur); continue; }
    if (!cur) continue;
    const kv = /^([A-Za-z. ]+):\s*(.*)$/.exec(line);
    if (!kv) continue;
    const [key, val] = [kv[1]!, kv[2]!.trim()];
    if (key === 'Current DNS Server' && val) cur.current = val.split(/\s+/)[0]!.replace(/#.*$/, '');
    if (key === 'DNS Servers' && val) cur.servers = val.split(/\s+/).map((s) => s.replace(/#.*$/, ''));
    if (key === 'Protocols' || key === 'Current Scopes') cur.defaultRoute ||= /\+DefaultRoute/.test(val);
  }
  const pick = (s: Section) => s.current ?? s.servers[0] ?? null;
  const order = [
    ...sections.filter((s) => s.link === null),
    ...sections.filter((s) => s.link !== null && s.defaultRoute),
    ...sections.filter((s) => s.link !== null && !s.defaultRoute),
  ];
  for (const s of order) {
    const server = pick(s);
    if (server && !RESOLVED_STUBS.has(server)) return { server, link: s.link };
  }
  return undefined;
}
