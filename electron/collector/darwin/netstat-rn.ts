// macOS `netstat -rn`: the default routes, a fallback for `route -n get default` and the way to see a
// VPN's default beside the physical one. Columns differ between releases and flags (`RT_IFA`, `Refs`,
// `Use`, `Mtu` come and go), so each table is read by its own header.

export interface DefaultRoute {
  family: 'inet' | 'inet6';
  /** Next hop; null when the route points at an interface (`link#21`: a VPN tunnel). */
  gateway: string | null;
  interface: string;
  flags: string;
  /** `I` flag: bound to its interface (RTF_IFSCOPE), not the system's primary default. */
  scoped: boolean;
}

/**
 * Sample (header, then a row):
 * `Destination        Gateway            RT_IFA             Flags        Refs      Use    Mtu          Netif Expire`
 * `default            192.168.51.1       192.168.51.157     UGScg         164     5254   1500            en0`
 */
export function parseNetstatRoutes(text: string): DefaultRoute[] {
  const out: DefaultRoute[] = [];
  let family: DefaultRoute['family'] | null = null;
  let cols: string[] = [];
  for (const line of text.split('\n')) {
    if (/^Internet6:/.test(line)) { family = 'inet6'; cols = []; continue; }
    if (/^Internet:/.test(line)) { family = 'inet'; cols = []; continue; }
    const f = line.trim().split(/\s+/);
    if (f[0] === 'Destination') { cols = f; continue; }
    if (!family || cols.length === 0 || f[0] !== 'default') continue;
    const at = (name: string) => { const i = cols.indexOf(name); return i >= 0 ? f[i] : undefined; };
    const gw = at('Gateway'), flags = at('Flags'), netif = at('Netif');
    if (!gw || !flags || !netif || !/^[A-Za-z]+$/.test(flags)) continue;
    out.push({ family, gateway: gw.startsWith('link#') ? null : gw, interface: netif, flags, scoped: flags.includes('I') });
  }
  return out;
}

/** The system's IPv4 default: the first unscoped one (macOS lists the primary first). */
export function primaryDefault(routes: DefaultRoute[]): DefaultRoute | undefined {
  return routes.find((r) => r.family === 'inet' && !r.scoped) ?? routes.find((r) => r.family === 'inet');
}
