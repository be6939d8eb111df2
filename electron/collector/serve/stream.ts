// The `GET /api/stream` clients (Server-Sent Events). Each event is serialised once into one Buffer that
// every client's socket writes from (1,000 clients used to mean 1,000 JSON.stringify of a 200 KB
// snapshot per tick), and a client that does not read is never buffered for without bound: while its
// last event still sits in our write queue it gets no new one, and one that stays behind for
// a client whose queue has not moved for `slowClientMs` is disconnected (EventSource reconnects by itself
// and starts from the latest snapshot).
import type http from 'node:http';

/** How long a client may leave its queue (bytes the kernel has not taken) unmoved before it is dropped, ms. */
export const SLOW_CLIENT_MS = 10_000;

/** `queued`: our queue for it at the last event; `movedAt`: when that queue last shrank or was empty. */
interface Client { res: http.ServerResponse; queued: number; movedAt: number; onGone: () => void; missedLink: boolean }

export const sseFrame = (event: string, data: unknown): Buffer => Buffer.from(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');

export class StreamHub {
  #clients = new Set<Client>();
  #snapshot: Buffer | null = null;
  #link: Buffer;
  #now: () => number;
  #slowMs: number;
  /** Clients disconnected for not reading, since start. */
  dropped = 0;
  /** Events not sent to a client that was behind, since start. */
  skipped = 0;

  constructor(link: unknown, opts: { now?: () => number; slowClientMs?: number } = {}) {
    this.#link = sseFrame('link', link);
    this.#now = opts.now ?? Date.now;
    this.#slowMs = opts.slowClientMs ?? SLOW_CLIENT_MS;
  }

  get size(): number { return this.#clients.size; }
  /** Bytes of the latest snapshot event (what each client is sent per tick). */
  get snapshotBytes(): number { return this.#snapshot?.length ?? 0; }

  /** Adds a client whose SSE headers were sent; it gets the link state and the latest snapshot at once. */
  add(res: http.ServerResponse, onGone: () => void): void {
    const c: Client = { res, queued: 0, movedAt: this.#now(), onGone, missedLink: false };
    this.#clients.add(c);
    res.write(this.#link);
    if (this.#snapshot) res.write(this.#snapshot);
    res.on('close', () => { if (this.#clients.delete(c)) onGone(); });
  }

  snapshot(data: unknown): void { this.#snapshot = sseFrame('snapshot', data); this.#send(this.#snapshot); }
  link(data: unknown): void { this.#link = sseFrame('link', data); this.#send(this.#link); }
  heartbeat(): void { this.#send(KEEP_ALIVE); }

  /**
   * Ends every stream and forgets its client at once: the feed stopping after this reports the engine
   * down, and a write to an ended response is an 'error' event that ended the process on SIGTERM.
   */
  closeAll(): void {
    for (const c of this.#clients) { this.#clients.delete(c); c.res.end(); }
  }

  #send(frame: Buffer): void {
    const now = this.#now();
    for (const c of this.#clients) {
      // writableLength: bytes we queued that the kernel has not taken (its socket buffers are full).
      const queued = c.res.writableLength;
      if (queued < c.queued || queued === 0) c.movedAt = now;
      if (queued === 0) {
        // A skipped snapshot is replaced by the next one; a skipped link change may never be followed by
        // another, so a client that caught up gets the current link state first.
        if (c.missedLink && frame !== this.#link) c.res.write(this.#link);
        c.missedLink = false;
        c.res.write(frame);
        c.queued = c.res.writableLength;
        continue;
      }
      // Behind: this event is not sent to it (it gets the next one once it has caught up).
      if (frame === this.#link) c.missedLink = true;
      this.skipped++;
      c.queued = queued;
      if (now - c.movedAt >= this.#slowMs) {
        this.dropped++;
        this.#clients.delete(c);
        c.onGone();
        c.res.destroy();
      }
    }
  }
}
