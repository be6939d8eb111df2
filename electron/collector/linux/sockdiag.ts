// Output of native/nw-sockdiag: TCP sockets with tcp_info straight from NETLINK_SOCK_DIAG.
import { KERNEL_TCP_STATES, emptySocket, isUnconnectedPeer, normaliseIp, type SocketSample } from '../sockets.ts';

const num = (s: string | undefined): number | null => {
  if (s === undefined || s === '-' || s === '') return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
};

/**
 * Sample:
 * `T	4	1	127.0.0.1	39811	127.0.0.1	45426	14792	0	9	4	10	-	32768	65536	65536	0	0	1	0	bbr`
 * T fam state src sport dst dport inode uid rtt_us rttvar_us cwnd ssthresh mss snd_wnd rcv_wnd
 *   total_retrans bytes_acked bytes_received bytes_sent cong
 */
export function parseSockdiagLine(line: string): SocketSample | undefined {
  if (line.charCodeAt(0) !== 84 /* T */) return undefined;
  const f = line.split('\t', 21);
  if (f[0] !== 'T' || f.length < 21) return undefined;
  const state = KERNEL_TCP_STATES[Number(f[2])];
  const lport = num(f[4]);
  const rport = num(f[6]);
  if (!state || lport === null || rport === null || lport > 65535 || rport > 65535 || !f[3] || !f[5]) return undefined;
  const rip = normaliseIp(f[5]);
  const s = emptySocket();
  s.state = state;
  s.localIp = normaliseIp(f[3]);
  s.localPort = lport;
  if (!isUnconnectedPeer(rip, rport)) { s.remoteIp = rip; s.remotePort = rport; }
  s.inode = num(f[7]) ?? 0;
  s.uid = num(f[8]);
  // Listeners and TIME-WAIT minisockets carry no meaningful tcp_info.
  if (state !== 'LISTEN') {
    s.rttUs = num(f[9]);
    s.cwnd = num(f[11]);
    s.ssthresh = num(f[12]);
    s.mss = num(f[13]);
    s.sndWnd = num(f[14]);
    s.rcvWnd = num(f[15]);
    s.retrans = num(f[16]);
    // bytes_acked counts the SYN (and the FIN once acked): one byte each that carried no payload.
    const acked = num(f[17]);
    s.bytesAcked = acked === null ? null : Math.max(0, acked - 1);
    s.bytesReceived = num(f[18]);
  }
  s.congestion = f[20] && f[20] !== '-' ? f[20] : null;
  return s;
}

export interface SockdiagDump { sockets: SocketSample[]; error: string | null }

/** A whole dump; a line the kernel reported as an error (`E\t…`) is returned as `error`. */
export function parseSockdiag(text: string): SockdiagDump {
  const sockets: SocketSample[] = [];
  let error: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('E\t')) error = line.slice(2);
    const s = parseSockdiagLine(line);
    if (s) sockets.push(s);
  }
  return { sockets, error };
}
