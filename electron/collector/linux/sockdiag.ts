// Output of native/nw-sockdiag: TCP sockets with tcp_info straight from NETLINK_SOCK_DIAG.
import { KERNEL_TCP_STATES, emptySocket, intern, isUnconnectedPeer, normaliseIp, type SocketSample } from '../sockets.ts';

/** Scans tab-separated fields without allocating a string per field (16k lines a poll). */
class Fields {
  pos = 0;
  readonly line: string;
  constructor(line: string) { this.line = line; }
  /** End index of the current field. */
  #end(): number {
    const i = this.line.indexOf('\t', this.pos);
    return i < 0 ? this.line.length : i;
  }
  /** A non-negative integer field; null for "-", empty or anything else. */
  num(): number | null {
    const end = this.#end();
    let v = 0;
    let ok = end > this.pos;
    for (let i = this.pos; i < end && ok; i++) {
      const c = this.line.charCodeAt(i) - 48;
      if (c < 0 || c > 9) ok = false;
      else v = v * 10 + c;
    }
    this.pos = end + 1;
    return ok && Number.isSafeInteger(v) ? v : null;
  }
  str(): string {
    const end = this.#end();
    const s = this.line.slice(this.pos, end);
    this.pos = end + 1;
    return s;
  }
  skip(): void { this.pos = this.#end() + 1; }
}

/** Congestion-control names repeat on every socket: keep one copy of each. */
const CONG = new Map<string, string>();

/**
 * Sample:
 * `T	4	1	127.0.0.1	39811	127.0.0.1	45426	14792	0	9	4	10	-	32768	65536	65536	0	0	1	0	bbr	3	2`
 * T fam state src sport dst dport inode uid rtt_us rttvar_us cwnd ssthresh mss snd_wnd rcv_wnd
 *   total_retrans bytes_acked bytes_received bytes_sent cong segs_out segs_in (the last two: since these
 *   fields were appended; a line without them still parses, with them unknown)
 */
export function parseSockdiagLine(line: string): SocketSample | undefined {
  if (line.charCodeAt(0) !== 84 /* T */ || line.charCodeAt(1) !== 9) return undefined;
  const f = new Fields(line);
  f.pos = 2;
  f.skip(); // family: the address says it
  const state = KERNEL_TCP_STATES[f.num() ?? -1];
  const src = f.str();
  const lport = f.num();
  const dst = f.str();
  const rport = f.num();
  if (!state || lport === null || rport === null || lport > 65535 || rport > 65535 || !src || !dst) return undefined;
  const s = emptySocket();
  s.state = state;
  s.localIp = intern(normaliseIp(src));
  s.localPort = lport;
  const rip = normaliseIp(dst);
  if (!isUnconnectedPeer(rip, rport)) { s.remoteIp = intern(rip); s.remotePort = rport; }
  s.inode = f.num() ?? 0;
  s.uid = f.num();
  const rtt = f.num();
  f.skip(); // rttvar
  const cwnd = f.num(), ssthresh = f.num(), mss = f.num(), sndWnd = f.num(), rcvWnd = f.num(), retrans = f.num();
  const acked = f.num(), received = f.num();
  f.skip(); // bytes_sent (includes retransmissions; bytes_acked is what the peer got)
  if (f.pos > line.length) return undefined; // fewer than 21 fields
  const cong = f.str();
  const segsOut = f.pos <= line.length ? f.num() : null;
  const segsIn = f.pos <= line.length ? f.num() : null;
  // Listeners and TIME-WAIT minisockets carry no meaningful tcp_info.
  if (state !== 'LISTEN') {
    s.rttUs = rtt; s.cwnd = cwnd; s.ssthresh = ssthresh; s.mss = mss; s.sndWnd = sndWnd; s.rcvWnd = rcvWnd; s.retrans = retrans; s.segsOut = segsOut; s.segsIn = segsIn;
    // The SYN counts one byte in bytes_acked: 0 means the handshake never completed.
    s.synAcked = acked === null ? null : acked > 0;
    // bytes_acked counts the SYN (and the FIN once acked): one byte each that carried no payload.
    s.bytesAcked = acked === null ? null : Math.max(0, acked - 1);
    s.bytesReceived = received;
  }
  if (cong && cong !== '-') {
    let c = CONG.get(cong);
    if (c === undefined && CONG.size < 64) { c = cong; CONG.set(cong, cong); }
    s.congestion = c ?? cong;
  }
  return s;
}

export interface SockdiagDump { sockets: SocketSample[]; error: string | null }

/** The kernel's error line (`E\t<message>`) as its message; null for any other line. */
export function dumpError(line: string): string | null {
  return line.startsWith('E\t') ? line.slice(2) : null;
}

/** A whole dump as text (one-shot `nw-sockdiag`); `--serve` answers line by line (sockdiag-client.ts). */
export function parseSockdiag(text: string): SockdiagDump {
  const dump: SockdiagDump = { sockets: [], error: null };
  for (const line of text.split('\n')) {
    const error = dumpError(line);
    if (error !== null) { dump.error = error; continue; }
    const s = parseSockdiagLine(line);
    if (s) dump.sockets.push(s);
  }
  return dump;
}
