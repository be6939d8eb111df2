// Which process each captured flow belongs to: each end of a flow that is this host's own address is
// matched to the socket owning it in the poll's socket list, the connected 4-tuple first, then the
// local port and protocol (an unconnected UDP socket, a TCP listener). Pure: flows and sockets in,
// per-end credits out.
import { isLoopbackPeer, normaliseIp, type SocketSample } from '../sockets.ts';
import type { FlowDelta } from '../capture.ts';

/** One local end of a flow, with what it sent and received (transport payload bytes). */
export interface FlowEnd {
  proto: 'tcp' | 'udp';
  localIp: string; localPort: number; remoteIp: string; remotePort: number;
  /** Both ends are this host's (loopback, or one of its own addresses). */
  loop: boolean;
  rx: number; tx: number;
  /** Owner of the local socket; null when no listed socket matches or its owner is unknown. */
  pid: number | null;
  /** Index of the matched socket in the poll's list (for the TCP cross-check); -1 when none. */
  socket: number;
  /** The match was the connected 4-tuple (not the local port alone). */
  exact: boolean;
}

const WILDCARD = new Set(['0.0.0.0', '::', '*']);

/** Sockets by (protocol, local port); addresses compared on lookup. Built once per poll. */
export class SocketIndex {
  #byPort = new Map<number, number[]>();
  readonly sockets: readonly SocketSample[];

  constructor(sockets: readonly SocketSample[]) {
    this.sockets = sockets;
    for (let i = 0; i < sockets.length; i++) {
      const s = sockets[i]!;
      const k = (s.protocol === 'udp' ? 1 << 16 : 0) | s.localPort;
      const list = this.#byPort.get(k);
      if (list) list.push(i); else this.#byPort.set(k, [i]);
    }
  }

  /** The socket owning local (ip, port) talking to (rip, rport); -1 when none. */
  find(proto: 'tcp' | 'udp', ip: string, port: number, rip: string, rport: number): { i: number; exact: boolean } {
    const list = this.#byPort.get((proto === 'udp' ? 1 << 16 : 0) | port);
    if (!list) return { i: -1, exact: false };
    let bound = -1, wild = -1;
    for (const i of list) {
      const s = this.sockets[i]!;
      if (s.remoteIp !== null && s.remotePort !== null && s.remotePort !== 0) {
        if (s.remotePort === rport && s.remoteIp === rip && (s.localIp === ip || WILDCARD.has(s.localIp))) return { i, exact: true };
        continue;
      }
      // Unconnected (UDP) or listening (TCP): owns the port for every peer.
      if (s.localIp === ip) bound = i;
      else if (WILDCARD.has(s.localIp) && wild < 0) wild = i;
    }
    const i = bound >= 0 ? bound : wild;
    return { i, exact: false };
  }
}

/**
 * The local ends of `flows`: one per flow with a remote peer, two for a flow between two local sockets
 * (each process is credited with its own side). Flows of other protocols are skipped.
 */
export function flowEnds(flows: readonly FlowDelta[], index: SocketIndex, own: ReadonlySet<string>): FlowEnd[] {
  const out: FlowEnd[] = [];
  for (const f of flows) {
    if (f.proto !== 6 && f.proto !== 17) continue;
    const proto = f.proto === 6 ? 'tcp' : 'udp';
    const a = normaliseIp(f.a), b = normaliseIp(f.b);
    const aLocal = isLoopbackPeer(a, own), bLocal = isLoopbackPeer(b, own);
    const loop = aLocal && bLocal;
    const end = (ip: string, port: number, rip: string, rport: number, tx: number, rx: number) => {
      const m = index.find(proto, ip, port, rip, rport);
      const pid = m.i >= 0 ? index.sockets[m.i]!.pid : null;
      out.push({ proto, localIp: ip, localPort: port, remoteIp: rip, remotePort: rport, loop, rx, tx, pid, socket: m.i, exact: m.exact });
    };
    if (aLocal) end(a, f.aPort, b, f.bPort, f.ab.payload, f.ba.payload);
    if (bLocal) end(b, f.bPort, a, f.aPort, f.ba.payload, f.ab.payload);
  }
  return out;
}
