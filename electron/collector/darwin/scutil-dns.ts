// macOS `scutil --dns`: the resolver the system uses by default, with scoped (per-interface) and
// supplemental (per-domain: mDNS, VPN split DNS) resolvers kept apart.

export interface Resolver {
  nameservers: string[];
  /** Set for supplemental resolvers (only queries under this domain go there). */
  domain: string | null;
  interface: string | null;
}

export interface DnsConfig {
  /** resolver #1 of the default section: where ordinary queries go. */
  primary: Resolver | null;
  supplemental: Resolver[];
  scoped: Resolver[];
}

/**
 * Sample:
 * `DNS configuration` / `resolver #1` / `  nameserver[0] : fe80::8e3b:adff:fead:7bf6%en0` / `  if_index : 7 (en0)`
 * `resolver #2` / `  domain   : local` …  `DNS configuration (for scoped queries)` / `resolver #1` …
 */
export function parseScutilDns(text: string): DnsConfig {
  const out: DnsConfig = { primary: null, supplemental: [], scoped: [] };
  let section: 'default' | 'scoped' = 'default';
  let cur: (Resolver & { n: number }) | null = null;
  const flush = () => {
    if (!cur) return;
    const r: Resolver = { nameservers: cur.nameservers, domain: cur.domain, interface: cur.interface };
    if (section === 'scoped') out.scoped.push(r);
    else if (r.domain) out.supplemental.push(r);
    else if (cur.n === 1 || !out.primary) out.primary ??= r;
    cur = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('DNS configuration')) {
      flush();
      section = /scoped/.test(line) ? 'scoped' : 'default';
      continue;
    }
    const head = /^resolver #(\d+)$/.exec(line);
    if (head) { flush(); cur = { nameservers: [], domain: null, interface: null, n: Number(head[1]) }; continue; }
    if (!cur) continue;
    const kv = /^([a-z_ ]+?)(?:\[\d+\])?\s*:\s*(.+)$/.exec(line);
    if (!kv) continue;
    const [key, val] = [kv[1]!.trim(), kv[2]!.trim()];
    if (key === 'nameserver') cur.nameservers.push(val);
    else if (key === 'domain') cur.domain = val;
    else if (key === 'if_index') cur.interface = /\(([^)]+)\)/.exec(val)?.[1] ?? null;
  }
  flush();
  return out;
}
