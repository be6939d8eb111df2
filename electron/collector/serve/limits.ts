// What one client may hold of `netwatch serve`: connections in total and per address, and how long a
// connection may take to send its request. One local user held 20,000 sockets and took every file
// descriptor (status probes then failed 25 of 25); a socket that never sent a byte was kept forever
// (Node's header timeout starts at the first byte).
import type http from 'node:http';
import type net from 'node:net';

export interface Limits {
  /** Open connections, all clients together (also held under the process's fd limit, see below). */
  maxConnections: number;
  /** Open connections from one remote address (a browser uses a handful per host). */
  maxPerAddress: number;
  /** From the connection's start (or the previous response) until the request's headers are in, ms. */
  headersTimeoutMs: number;
  /** Until the whole request (headers and body) is in, ms; a stream's response is not bounded by it. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this, ms. */
  keepAliveTimeoutMs: number;
  /** No byte either way for this long on a connection with a request (a stream sends a heartbeat every 15 s), ms. */
  idleTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxConnections: 2048, maxPerAddress: 64, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, idleTimeoutMs: 60_000,
};

/** File descriptors kept for the engine's IPC, static files and respawns when connections are many. */
export const RESERVED_FDS = 128;

/**
 * `/proc/self/limits` sample line: `Max open files            20000                20000                files`
 * → the soft limit (20000), or null when unlimited or absent.
 */
export function parseOpenFileLimit(text: string): number | null {
  const m = /^Max open files\s+(\d+)\s/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** The total cap given the soft fd limit: every connection is one descriptor. */
export const connectionCap = (wanted: number, fdLimit: number | null): number =>
  fdLimit === null ? wanted : Math.max(1, Math.min(wanted, fdLimit - RESERVED_FDS));

export interface ConnectionStats { open: number; refused: number }

/** Applies the limits to a server; connections over a cap are closed at once, before any byte is read. */
export function applyLimits(server: http.Server, l: Limits): ConnectionStats {
  const stats: ConnectionStats = { open: 0, refused: 0 };
  const perAddress = new Map<string, number>();
  server.headersTimeout = l.headersTimeoutMs;
  server.requestTimeout = l.requestTimeoutMs;
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  server.maxConnections = l.maxConnections;
  // Node refuses over maxConnections itself (no 'connection' event); count those too.
  server.on('drop', () => { stats.refused++; });
  server.on('connection', (socket: net.Socket) => {
    const addr = socket.remoteAddress ?? '?';
    const n = (perAddress.get(addr) ?? 0) + 1;
    if (n > l.maxPerAddress) { stats.refused++; socket.destroy(); return; }
    perAddress.set(addr, n);
    stats.open++;
    // Node's header timeout starts with the first byte: a socket that sends none was kept for good.
    // Until its first request, a connection may be silent for the header timeout only.
    socket.setTimeout(l.headersTimeoutMs);
    socket.once('close', () => {
      stats.open--;
      const left = (perAddress.get(addr) ?? 1) - 1;
      if (left > 0) perAddress.set(addr, left); else perAddress.delete(addr);
    });
  });
  server.on('request', (req: http.IncomingMessage) => { req.socket.setTimeout(l.idleTimeoutMs); });
  return stats;
}
