// Keeps one nw-sockdiag --serve running and asks it for a dump per poll: no process spawn per poll.
// After the first dump the helper prints only sockets whose line changed, and `X\t<inode>` for those
// gone; this client keeps the last sample of every socket and hands out the whole list each poll.
import type { LineStream, OsIO } from '../os.ts';
import type { SocketSample } from '../sockets.ts';
import { dumpError, parseSockdiagLine } from './sockdiag.ts';

/** `sockets` is the client's own array, rewritten by the next dump: use it before asking again. */
export type DumpResult = { ok: true; sockets: SocketSample[] } | { ok: false; reason: string; missing: boolean };

export class SockdiagClient {
  #os: OsIO;
  #path: string;
  #child: LineStream | null = null;
  /** Sockets with an inode, as of the last dump; unchanged ones are not sent again. */
  #known = new Map<number, SocketSample>();
  /** Sockets without an inode (TIME-WAIT, request minisockets): sent in full every dump. */
  #fresh: SocketSample[] = [];
  /**
   * The list handed out, reused: a new 16k-element array per dump lived until the next poll, so V8
   * promoted it to the old generation every time (~0.13 MB a poll that only a full GC reclaims).
   */
  #list: SocketSample[] = [];
  #error: string | null = null;
  #pending: ((r: DumpResult) => void) | null = null;

  constructor(os: OsIO, path: string) { this.#os = os; this.#path = path; }

  dump(timeoutMs = 10_000): Promise<DumpResult> {
    if (this.#pending) return Promise.resolve({ ok: false, reason: 'a dump is already running', missing: false });
    if (!this.#child) {
      // A new helper knows nothing of the last dump and sends everything: start from nothing too.
      this.#known.clear();
      this.#child = this.#os.spawnLines(this.#path, ['--serve'], (line) => this.#line(line), (_code, why) => {
        this.#child = null;
        this.#finish({ ok: false, reason: why, missing: /not installed|ENOENT/.test(why) });
      });
    }
    this.#fresh = [];
    this.#error = null;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.stop(); this.#finish({ ok: false, reason: `no answer in ${timeoutMs} ms`, missing: false }); }, timeoutMs);
      this.#pending = (r) => { clearTimeout(timer); resolve(r); };
      this.#child!.write('\n');
    });
  }

  stop(): void { this.#child?.stop(); this.#child = null; }

  /** Whether the last dump listed a socket with this inode (TIME-WAIT, inode 0, never). */
  has(inode: number): boolean { return this.#known.has(inode); }
  forEachInode(fn: (inode: number) => void): void { this.#known.forEach((_s, inode) => fn(inode)); }

  /** Lines: `T\t…` a new or changed socket, `X\t<inode>` one gone, `E\t<error>`, `.` end of dump. */
  #line(line: string): void {
    if (line === '.') return this.#done();
    if (line.charCodeAt(0) === 88 /* X */) { this.#known.delete(Number(line.slice(2))); return; }
    const error = dumpError(line);
    if (error !== null) { this.#error = error; return; }
    const s = parseSockdiagLine(line);
    if (!s) return;
    if (s.inode) this.#known.set(s.inode, s);
    else this.#fresh.push(s);
  }

  #done(): void {
    if (this.#error !== null) {
      // The helper forgot its last dump too: the next one arrives in full.
      this.#known.clear();
      return this.#finish({ ok: false, reason: this.#error, missing: false });
    }
    const sockets = this.#list;
    sockets.length = this.#known.size + this.#fresh.length;
    let i = 0;
    // Samples are reused from poll to poll: the owner is looked up again each time (fd passing, exit).
    this.#known.forEach((s) => { s.pid = null; s.command = null; sockets[i++] = s; });
    for (const s of this.#fresh) sockets[i++] = s;
    this.#fresh = [];
    this.#finish({ ok: true, sockets });
  }

  #finish(r: DumpResult): void {
    const p = this.#pending;
    this.#pending = null;
    p?.(r);
  }
}
