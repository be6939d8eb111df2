// The last connection poll as views query it: the sources' socket samples plus what the poll worked
// out per socket (owner, name, rates), in columns reused from poll to poll. Row objects are built only
// for the page a view asks for; one kept per socket was ~5 MB of heap at 16k sockets (measured with a
// heap snapshot), and with the table open every 2 s V8 grew its heap to match.
import type { Connection, ConnectionTable } from '../../../shared/index.ts';
import { endpoint, type SocketSample } from '../sockets.ts';

export class SocketTable implements ConnectionTable {
  size = 0;
  /** The poll's samples, copied: sources may rewrite their list before the next poll. */
  #sockets: SocketSample[] = [];
  /** Owner at poll time, -1 unknown: the sources reuse samples and reset their pid at the next read. */
  #pid = new Int32Array(0);
  #name: Array<string | null> = [];
  /** Payload rates over the poll's window, bytes/s. */
  #tx = new Float64Array(0);
  #rx = new Float64Array(0);

  /** Starts a poll over `sockets`; columns grow (never shrink) to fit. */
  reset(sockets: readonly SocketSample[]): void {
    const n = sockets.length;
    // Growing `length` and writing in place: no new array per poll to be promoted and collected.
    const own = this.#sockets;
    own.length = n;
    for (let i = 0; i < n; i++) own[i] = sockets[i]!;
    if (this.#pid.length < n) {
      const cap = Math.max(n, this.#pid.length * 2);
      this.#pid = new Int32Array(cap);
      this.#tx = new Float64Array(cap);
      this.#rx = new Float64Array(cap);
    }
    this.#name.length = n;
    this.size = n;
  }

  set(i: number, pid: number | null, name: string | null, txBps: number, rxBps: number): void {
    this.#pid[i] = pid ?? -1;
    this.#name[i] = name;
    this.#tx[i] = txBps;
    this.#rx[i] = rxBps;
  }

  number(i: number, key: 'pid' | 'rttUs' | 'txBps' | 'rxBps' | 'bytesSent' | 'bytesReceived'): number | null {
    const s = this.#sockets[i]!;
    switch (key) {
      case 'pid': return this.#pid[i]! < 0 ? null : this.#pid[i]!;
      case 'rttUs': return s.rttUs;
      case 'txBps': return this.#tx[i]!;
      case 'rxBps': return this.#rx[i]!;
      case 'bytesSent': return s.bytesAcked;
      case 'bytesReceived': return s.bytesReceived;
    }
  }

  text(i: number, key: 'process' | 'protocol' | 'local' | 'remote' | 'state'): string | null {
    const s = this.#sockets[i]!;
    switch (key) {
      case 'process': return this.#name[i]!;
      case 'protocol': return s.protocol;
      case 'state': return s.state;
      case 'local': return endpoint(s.localIp, s.localPort);
      case 'remote': return s.remoteIp === null ? null : endpoint(s.remoteIp, s.remotePort!);
    }
  }

  localPort(i: number): number { return this.#sockets[i]!.localPort; }
  remotePort(i: number): number | null { return this.#sockets[i]!.remotePort; }
  inode(i: number): number { return this.#sockets[i]!.inode; }

  row(i: number): Connection {
    const s = this.#sockets[i]!;
    return {
      protocol: s.protocol,
      local: this.text(i, 'local')!,
      remote: this.text(i, 'remote'),
      state: s.state, pid: this.number(i, 'pid'), process: this.#name[i]!, inode: s.inode, rttUs: s.rttUs,
      bytesSent: s.bytesAcked, bytesReceived: s.bytesReceived, txBps: this.#tx[i]!, rxBps: this.#rx[i]!,
      tcp: s.protocol === 'udp' ? null : {
        cwnd: s.cwnd, ssthresh: s.ssthresh, mssBytes: s.mss, sndWndBytes: s.sndWnd, rcvWndBytes: s.rcvWnd,
        retransmits: s.retrans, congestion: s.congestion,
      },
    };
  }

  /** Every row (snapshots that carry the whole list: `netwatch snapshot`, `watch --jsonl`). */
  rows(): Connection[] {
    const out: Connection[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.row(i);
    return out;
  }
}
