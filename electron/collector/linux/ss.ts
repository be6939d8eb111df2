// `ss` text output: the fallback when native/nw-sockdiag is not built, and the tool users know.
import { TCP_STATES, type TcpState } from '../../../shared/index.ts';
import { emptySocket, isUnconnectedPeer, normaliseIp, type SocketSample } from '../sockets.ts';

const NETIDS = new Set(['tcp', 'udp', 'raw', 'u_str', 'u_dgr', 'u_seq', 'p_raw', 'p_dgr', 'nl', 'mptcp', 'sctp']);
const STATES = new Set<string>([...TCP_STATES, 'UNCONN']);

/** Splits `addr:port` where addr may be `[v6]`, `v6` with `%scope`, or `*`. */
export function splitEndpoint(s: string): { ip: string; port: number } | undefined {
  const i = s.lastIndexOf(':');
  if (i <= 0) return undefined;
  const port = s.slice(i + 1) === '*' ? 0 : Number(s.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return { ip: normaliseIp(s.slice(0, i)), port };
}

const intOf = (v: string | undefined): number | null => {
  if (v === undefined) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
};

/** Joins ss's two-line records (info lines start with white space) into one line each. */
function records(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s/.test(line)) {
      if (out.length) out[out.length - 1] += ' ' + line.trim();
    } else if (line.trim()) out.push(line);
  }
  return out;
}

/**
 * Sample (`ss -tinpaHO`; `-O` or not, header or not, with or without the Netid column):
 * `ESTAB 0 0 192.168.43.58:53056 194.35.102.50:443 users:(("firefox-bin",pid=1367,fd=7)) cubic wscale:7,7
 *  rto:303.333 rtt:95.077/48.14 mss:1348 cwnd:7 ssthresh:4 bytes_sent:276685 bytes_acked:276162 bytes_received:810911`
 */
export function parseSsRecord(line: string): SocketSample | undefined {
  const tok = line.trim().split(/\s+/);
  let i = 0;
  let protocol: 'tcp' | 'udp' = 'tcp';
  if (NETIDS.has(tok[0]!)) {
    if (tok[0] !== 'tcp' && tok[0] !== 'udp') return undefined;
    protocol = tok[0];
    i = 1;
  }
  const state = tok[i];
  if (!state || !STATES.has(state)) return undefined;
  const local = splitEndpoint(tok[i + 3] ?? '');
  const peer = splitEndpoint(tok[i + 4] ?? '');
  if (!local || !peer) return undefined;
  const s = emptySocket();
  s.protocol = protocol;
  s.state = state as TcpState | 'UNCONN';
  s.localIp = local.ip;
  s.localPort = local.port;
  if (!isUnconnectedPeer(peer.ip, peer.port)) { s.remoteIp = peer.ip; s.remotePort = peer.port; }
  for (const t of tok.slice(i + 5)) {
    const users = /^users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+)/.exec(t);
    if (users) { s.command = users[1]!; s.pid = intOf(users[2]); continue; }
    const c = t.indexOf(':');
    if (c < 0) {
      if (/^(cubic|bbr|bbr2|reno|vegas|westwood|htcp|dctcp|bic|illinois|hybla|lp|scalable|yeah|veno|cdg|nv)$/.test(t)) s.congestion = t;
      continue;
    }
    const key = t.slice(0, c);
    const val = t.slice(c + 1);
    switch (key) {
      case 'ino': s.inode = intOf(val) ?? 0; break;
      case 'uid': s.uid = intOf(val); break;
      case 'rtt': { const ms = Number(val.split('/')[0]); s.rttUs = Number.isFinite(ms) && ms >= 0 ? Math.round(ms * 1000) : null; break; }
      case 'cwnd': s.cwnd = intOf(val); break;
      case 'ssthresh': s.ssthresh = intOf(val); break;
      case 'mss': s.mss = intOf(val); break;
      case 'snd_wnd': s.sndWnd = intOf(val); break;
      case 'rcv_wnd': s.rcvWnd = intOf(val); break;
      case 'bytes_acked': { const n = intOf(val); s.bytesAcked = n === null ? null : Math.max(0, n - 1); s.synAcked = n === null ? null : n > 0; break; }
      case 'bytes_received': s.bytesReceived = intOf(val); break;
      case 'retrans': { const n = intOf(val.split('/')[1]); s.retrans = n; break; }
      case 'segs_out': s.segsOut = intOf(val); break;
      case 'segs_in': s.segsIn = intOf(val); break;
    }
  }
  // A socket that moved nothing yet omits the counters: zero, not unknown, once tcp_info is present.
  if (protocol === 'tcp' && s.state !== 'LISTEN' && s.cwnd !== null) {
    s.bytesAcked ??= 0;
    s.bytesReceived ??= 0;
    s.synAcked ??= false; // ss omits bytes_acked while it is 0: not even the SYN was acknowledged
    s.segsIn ??= 0;
  }
  return s;
}

export function parseSs(text: string): SocketSample[] {
  const out: SocketSample[] = [];
  for (const rec of records(text)) {
    const s = parseSsRecord(rec);
    if (s) out.push(s);
  }
  return out;
}
