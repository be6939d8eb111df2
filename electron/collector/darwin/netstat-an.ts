// macOS `netstat -anv -p tcp`: sockets with per-socket pid on current macOS (the `pid` column), and
// `netstat -an -p tcp` for TCP state counts. Addresses are `a.b.c.d.port` / `v6.port` / `*.port`.

/**
 * Splits `192.168.1.191.52044`, `fe80::1%lo0.631`, `*.*` (sep '.'), or lsof's `[::1]:8080`, `*:5353` (sep ':').
 * Returns null for `*.*` / `*:*` (no peer) and for anything that is not an endpoint.
 */
export function splitEndpointMac(s: string, sep: '.' | ':'): { ip: string; port: number } | null {
  const i = s.lastIndexOf(sep);
  if (i <= 0) return null;
  let ip = s.slice(0, i);
  const p = s.slice(i + 1);
  if (p === '*') return null;
  const port = Number(p);
  if (!/^\d+$/.test(p) || port > 65535) return null;
  ip = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (ip === '*') ip = '0.0.0.0';
  return { ip, port };
}

export interface NetstatSocket {
  protocol: 'tcp' | 'udp';
  local: { ip: string; port: number } | null;
  remote: { ip: string; port: number } | null;
  state: string | null;
  pid: number | null;
}

/**
 * Sample (header names the columns; `pid` only where this macOS prints it):
 * `Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)     rhiwat shiwat    pid   epid  state    options`
 * `tcp4       0      0  192.168.1.191.52044    31.13.66.35.443        ESTABLISHED 131072 131860   9811      0 0x0102 0x00000008`
 */
export function parseNetstatAn(text: string): NetstatSocket[] {
  const lines = text.split('\n');
  const header = lines.find((l) => /\bProto\s+Recv-Q/.test(l));
  // Token positions from the header (addresses hold no spaces); `-A` adds Socket and Flowhash in front.
  const cols = header ? header.replace('Local Address', 'Local').replace('Foreign Address', 'Foreign').trim().split(/\s+/) : ['Proto'];
  const at = Math.max(0, cols.indexOf('Proto'));
  const pidCol = cols.indexOf('pid');
  const out: NetstatSocket[] = [];
  for (const line of lines) {
    const t = line.trim().split(/\s+/);
    const proto = /^(tcp|udp)(4|6|46)?$/.exec(t[at] ?? '');
    if (!proto || t.length < at + 5) continue;
    const isTcp = proto[1] === 'tcp';
    const local = splitEndpointMac(t[at + 3]!, '.');
    const remote = splitEndpointMac(t[at + 4]!, '.');
    if (!local) continue;
    // UDP rows have no state column: later columns shift left by one.
    const state = isTcp ? t[at + 5] ?? null : null;
    const shift = isTcp ? 0 : -1;
    const pidTok = pidCol >= 0 ? t[pidCol + shift] : undefined;
    const pid = pidTok !== undefined && /^\d+$/.test(pidTok) && Number(pidTok) > 0 ? Number(pidTok) : null;
    out.push({ protocol: isTcp ? 'tcp' : 'udp', local, remote, state, pid });
  }
  return out;
}
