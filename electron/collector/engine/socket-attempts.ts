// Connection attempts without packet capture (unprivileged): outgoing TCP sockets as the polls see them
// born, and as the kernel's socket-destroy events see them end. sock_diag's destroy groups accept
// unprivileged listeners (the kernel registers them NL_CFG_F_NONROOT_RECV; checked here as uid 65534),
// so this works where the capture cannot run.
//
// A destroyed socket whose SYN was never acknowledged failed: refused when a segment (the RST) came
// back, timed out (or given up by its app) when nothing did. One that completed its handshake succeeded,
// unless a poll already counted it established. Sockets on a local listening port were accepted, not
// opened, and are left out. Outcomes are known when a socket ends or is first seen established: a SYN
// still waiting counts once it is answered or gone. The app is known where a poll saw the socket.
import type { HandshakeOutcome } from '../capture.ts';
import type { SocketSample } from '../sockets.ts';
import type { AppRef } from './flow-accounts.ts';

/** Outgoing sockets remembered between their birth in a poll and their end (oldest dropped beyond). */
export const MAX_TRACKED = 65_536;

interface Seen { app: AppRef | null; established: boolean; polled: number }

/** One outcome, with the app where known and the socket it was (local end = the connecting side). */
export type OutcomeSink = (outcome: HandshakeOutcome, app: AppRef | null, s: SocketSample) => void;

const keyOf = (s: SocketSample): string | null =>
  s.protocol === 'tcp' && s.remoteIp !== null && s.remotePort ? `${s.localIp}|${s.localPort}|${s.remoteIp}|${s.remotePort}` : null;

export class SocketAttempts {
  #seen = new Map<string, Seen>();
  /** Ended since the last poll: a dump read while the event came must not count the socket born again. */
  #ended = new Set<string>();
  #listening = new Set<number>();
  #polls = 0;
  #sink: OutcomeSink;

  constructor(sink: OutcomeSink) { this.#sink = sink; }

  /**
   * One poll's sockets. Sockets first seen established count as successes, except in the first poll
   * (those were opened before the engine started). `app` names a socket's owner.
   */
  poll(sockets: readonly SocketSample[], app: (s: SocketSample) => AppRef | null): void {
    this.#polls++;
    this.#listening = new Set(sockets.filter((s) => s.protocol === 'tcp' && s.state === 'LISTEN').map((s) => s.localPort));
    for (const s of sockets) {
      const k = keyOf(s);
      // TIME-WAIT entries outlive the socket (its destroy event came first): not a birth.
      if (k === null || s.state === 'LISTEN' || s.state === 'TIME-WAIT' || this.#listening.has(s.localPort) || this.#ended.has(k)) continue;
      const established = s.state !== 'SYN-SENT';
      const cur = this.#seen.get(k);
      if (cur) {
        if (established && !cur.established && this.#polls > 1) this.#sink('ok', cur.app ?? app(s), s);
        cur.established ||= established;
        cur.app ??= app(s);
        cur.polled = this.#polls;
        continue;
      }
      if (established && this.#polls > 1) this.#sink('ok', app(s), s);
      this.#remember(k, { app: app(s), established, polled: this.#polls });
    }
    this.#ended.clear();
    // Sockets not listed for a while ended without an event reaching us (events off or lost): forget them.
    for (const [k, v] of this.#seen) if (this.#polls - v.polled > 3) this.#seen.delete(k);
  }

  /** A socket-destroy event. */
  destroyed(s: SocketSample): void {
    const k = keyOf(s);
    if (k === null || s.synAcked === null || this.#listening.has(s.localPort)) return;
    const seen = this.#seen.get(k);
    this.#seen.delete(k);
    if (this.#ended.size < MAX_TRACKED) this.#ended.add(k);
    if (s.synAcked) {
      if (!seen?.established) this.#sink('ok', seen?.app ?? null, s);
      return;
    }
    // Never established. An accepted socket with no data has ≥ 2 segments in (the ACK, the FIN): not ours.
    if (s.segsIn === null || s.segsIn > 1) return;
    this.#sink(s.segsIn === 1 ? 'refused' : 'timeout', seen?.app ?? null, s);
  }

  get tracked(): number { return this.#seen.size; }

  #remember(k: string, v: Seen): void {
    if (this.#seen.size >= MAX_TRACKED) this.#seen.delete(this.#seen.keys().next().value!);
    this.#seen.set(k, v);
  }
}
