// Keeps one nw-sockdiag --serve running and asks it for a dump per poll: no process spawn per poll.
import type { LineStream, OsIO } from '../os.ts';
import type { SocketSample } from '../sockets.ts';
import { addDumpLine, type SockdiagDump } from './sockdiag.ts';

export type DumpResult = { ok: true; sockets: SocketSample[] } | { ok: false; reason: string; missing: boolean };

export class SockdiagClient {
  #os: OsIO;
  #path: string;
  #child: LineStream | null = null;
  #dump: SockdiagDump = { sockets: [], error: null };
  #pending: ((r: DumpResult) => void) | null = null;

  constructor(os: OsIO, path: string) { this.#os = os; this.#path = path; }

  dump(timeoutMs = 10_000): Promise<DumpResult> {
    if (this.#pending) return Promise.resolve({ ok: false, reason: 'a dump is already running', missing: false });
    this.#child ??= this.#os.spawnLines(this.#path, ['--serve'], (line) => this.#line(line), (_code, why) => {
      this.#child = null;
      this.#finish({ ok: false, reason: why, missing: /not installed|ENOENT/.test(why) });
    });
    this.#dump = { sockets: [], error: null };
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.stop(); this.#finish({ ok: false, reason: `no answer in ${timeoutMs} ms`, missing: false }); }, timeoutMs);
      this.#pending = (r) => { clearTimeout(timer); resolve(r); };
      this.#child!.write('\n');
    });
  }

  stop(): void { this.#child?.stop(); this.#child = null; }

  #line(line: string): void {
    if (line !== '.') return addDumpLine(this.#dump, line);
    const d = this.#dump;
    // Let go of the dump: holding 16k samples until the next poll kept ~4 MB alive for nothing.
    this.#dump = { sockets: [], error: null };
    this.#finish(d.error ? { ok: false, reason: d.error, missing: false } : { ok: true, sockets: d.sockets });
  }

  #finish(r: DumpResult): void {
    const p = this.#pending;
    this.#pending = null;
    p?.(r);
  }
}
