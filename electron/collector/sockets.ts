// One socket as any platform's source reports it, before processes are joined in.
import type { TcpState } from '../../shared/index.ts';

export interface SocketSample {
  protocol: 'tcp' | 'udp';
  state: TcpState | 'UNCONN';
  localIp: string;
  localPort: number;
  /** null for listening/unconnected sockets (`*` or 0.0.0.0:0). */
  remoteIp: string | null;
  remotePort: number | null;
  /** Kernel inode; 0 when unknown (TIME-WAIT, closed). */
  inode: number;
  uid: number | null;
  /** Owner when the source itself names it (ss -p, lsof, netstat -v); else joined later by inode. */
  pid: number | null;
  command: string | null;
  rttUs: number | null;
  /** tcp_info counters: payload bytes acknowledged by the peer / received (cumulative). */
  bytesAcked: number | null;
  bytesReceived: number | null;
  cwnd: number | null;
  ssthresh: number | null;
  mss: number | null;
  sndWnd: number | null;
  rcvWnd: number | null;
  /** Segments retransmitted / sent over the socket's life (tcp_info total_retrans, segs_out). */
  retrans: number | null;
  segsOut: number | null;
  /** Segments received (tcp_info segs_in): 0 on a connect nobody answered, ≥ 1 once a RST came back. */
  segsIn: number | null;
  /** Whether the handshake completed (its SYN was acknowledged); null when the source does not say. */
  synAcked: boolean | null;
  congestion: string | null;
}

export const emptySocket = (): SocketSample => ({
  protocol: 'tcp', state: 'ESTAB', localIp: '', localPort: 0, remoteIp: null, remotePort: null, inode: 0,
  uid: null, pid: null, command: null, rttUs: null, bytesAcked: null, bytesReceived: null, cwnd: null,
  ssthresh: null, mss: null, sndWnd: null, rcvWnd: null, retrans: null, segsOut: null, segsIn: null, synAcked: null, congestion: null,
});

/** Kernel TCP state numbers (include/net/tcp_states.h) to ss names. */
export const KERNEL_TCP_STATES: Record<number, TcpState> = {
  1: 'ESTAB', 2: 'SYN-SENT', 3: 'SYN-RECV', 4: 'FIN-WAIT-1', 5: 'FIN-WAIT-2', 6: 'TIME-WAIT', 7: 'CLOSE',
  8: 'CLOSE-WAIT', 9: 'LAST-ACK', 10: 'LISTEN', 11: 'CLOSING', 12: 'NEW-SYN-RECV',
};

/**
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`) shown as the IPv4 address it is; brackets and scope ids dropped.
 * ss puts the scope outside the brackets (`[fe80::a]%eth0`), others inside (`fe80::a%eth0`): the scope
 * goes first, so no bracket is left behind.
 */
export function normaliseIp(ip: string): string {
  // Fast path: a plain dotted quad (most sockets; this runs 32,000 times a poll at 16k sockets).
  if (ip.indexOf(':') < 0 && ip.indexOf('%') < 0 && ip.indexOf('[') < 0) return ip;
  const bare = ip.replace(/%[^\]]*/, '').replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  return mapped ? mapped[1]! : bare.toLowerCase();
}

const INTERNED = new Map<string, string>();
/**
 * One copy of each address string: 16k sockets mostly share a few addresses, and each kept its own
 * copy (32,000 strings, 1 MB of the engine's live heap at 16k loopback sockets). Bounded: cleared when full.
 */
export function intern(ip: string): string {
  const had = INTERNED.get(ip);
  if (had !== undefined) return had;
  if (INTERNED.size >= 4096) INTERNED.clear();
  INTERNED.set(ip, ip);
  return ip;
}

/** `1.2.3.4:443` or `[::1]:443`. */
export function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::', '*']);
/** A peer of `*`, 0.0.0.0:0 or [::]:0 means "not connected". */
export function isUnconnectedPeer(ip: string, port: number): boolean {
  return UNSPECIFIED.has(ip) && port === 0;
}

/** Loopback range or one of this host's own addresses (those are routed through `lo` too). */
export function isLoopbackPeer(ip: string, ownAddresses: ReadonlySet<string>): boolean {
  return ip.startsWith('127.') || ip === '::1' || ownAddresses.has(ip);
}
