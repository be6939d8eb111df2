// macOS `lsof -i -n -P`: sockets with their owning process, in field output (`-F`) or as rows.
import { splitEndpointMac } from './netstat-an.ts';

export interface LsofSocket {
  pid: number;
  command: string;
  protocol: 'tcp' | 'udp';
  local: { ip: string; port: number } | null;
  remote: { ip: string; port: number } | null;
  /** TCP state as lsof names it (ESTABLISHED, LISTEN, CLOSE_WAIT…); null for UDP. */
  state: string | null;
}

/** lsof escapes unprintable and space characters in names as `\xNN`. */
export function unescapeLsof(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** `192.168.1.37:60298->31.13.83.36:443`, `[::1]:8080`, `*:5353` → endpoints (lsof's `:port` form). */
function endpoints(name: string): { local: LsofSocket['local']; remote: LsofSocket['remote'] } {
  const [l, r] = name.split('->');
  return { local: l ? splitEndpointMac(l, ':') : null, remote: r ? splitEndpointMac(r, ':') : null };
}

/**
 * Field output sample (`lsof -i -n -P -F pcPnT`): one line per field, a letter then the value:
 * `p1190` / `cGoogle Chrome Helper` / `f29` / `PTCP` / `nsiky-mac-mini:61472->221.229.52.145:https` / `TST=ESTABLISHED`
 */
export function parseLsofFields(text: string): LsofSocket[] {
  const out: LsofSocket[] = [];
  let pid: number | null = null;
  let command = '';
  let cur: LsofSocket | null = null;
  const push = () => { if (cur) out.push(cur); cur = null; };
  for (const line of text.split('\n')) {
    const tag = line[0];
    const v = line.slice(1);
    if (tag === 'p') { push(); pid = Number(v); command = ''; continue; }
    if (tag === 'c') { command = unescapeLsof(v); continue; }
    if (tag === 'f') { push(); if (pid && Number.isSafeInteger(pid) && pid > 0) cur = { pid, command, protocol: 'tcp', local: null, remote: null, state: null }; continue; }
    if (!cur) continue;
    if (tag === 'P') cur.protocol = v === 'UDP' ? 'udp' : 'tcp';
    else if (tag === 'n') Object.assign(cur, endpoints(v));
    else if (tag === 'T' && v.startsWith('ST=')) cur.state = v.slice(3);
  }
  push();
  return out;
}

/**
 * Row sample (`lsof -n -P -i`, header dropped):
 * `com.apple   590 etoledom  193u  IPv4 0x28ffb9c041115627      0t0  TCP 192.168.1.37:60298->31.13.83.36:443 (ESTABLISHED)`
 */
export function parseLsofRows(text: string): LsofSocket[] {
  const out: LsofSocket[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+\S+\s+\S+\s+IPv[46]\s+\S+\s+\S+\s+(TCP|UDP)\s+(\S+)(?:\s+\(([A-Z_]+)\))?\s*$/.exec(line);
    if (!m) continue;
    const pid = Number(m[2]);
    if (!Number.isSafeInteger(pid) || pid <= 0) continue;
    out.push({ pid, command: unescapeLsof(m[1]!), protocol: m[3] === 'UDP' ? 'udp' : 'tcp', ...endpoints(m[4]!), state: m[5] ?? null });
  }
  return out;
}
