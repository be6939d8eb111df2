// Keeps one `nw-capture --serve` running and asks it for a report per poll (a newline on its stdin).
// The helper exits when its stdin closes or this process dies, so stop() or a crash leaves nothing.
import type { LineStream, OsIO } from './os.ts';
import { ReportBuilder, captureFailure, type CaptureHello, type CaptureReport } from './capture.ts';

export type CaptureResult = { ok: true; report: CaptureReport } | { ok: false; reason: string };

export interface CaptureOptions {
  /** Interface name; `any` (the default) is every interface. */
  iface?: string;
  /** A pcap filter expression (kernel BPF) narrowing what is captured. */
  filter?: string;
  /** SYNs unanswered this long are reported as timed out. */
  synTimeoutMs?: number;
}

export class CaptureClient {
  #os: OsIO;
  #path: string;
  #args: string[];
  #child: LineStream | null = null;
  #builder = new ReportBuilder();
  #ready: Promise<string | null> | null = null;
  #onReady: ((reason: string | null) => void) | null = null;
  #pending: ((r: CaptureResult) => void) | null = null;
  /** Why the helper last stopped, if it did. */
  #failed: string | null = null;

  constructor(os: OsIO, path: string, opts: CaptureOptions = {}) {
    this.#os = os;
    this.#path = path;
    this.#args = ['--serve', '-i', opts.iface ?? 'any'];
    if (opts.filter) this.#args.push('-f', opts.filter);
    if (opts.synTimeoutMs) this.#args.push('-T', String(Math.round(opts.synTimeoutMs)));
  }

  get hello(): CaptureHello | null { return this.#builder.hello; }

  /**
   * Starts the helper if needed; resolves with null once it captures (its hello line), or with the
   * reason it could not. A later report() covers packets from then on.
   */
  start(timeoutMs = 10_000): Promise<string | null> {
    if (this.#child && this.#ready) return this.#ready;
    this.#builder = new ReportBuilder();
    this.#failed = null;
    this.#ready = new Promise((resolve) => {
      const timer = setTimeout(() => { this.stop(); resolve(`unavailable: nw-capture did not start in ${timeoutMs} ms`); }, timeoutMs);
      this.#onReady = (r) => { clearTimeout(timer); this.#onReady = null; resolve(r); };
    });
    this.#child = this.#os.spawnLines(this.#path, this.#args, (l) => this.#line(l), (_code, why) => {
      this.#child = null;
      this.#ready = null;
      const reason = captureFailure(this.#builder.error ?? why, this.#path);
      this.#failed = reason;
      this.#onReady?.(reason);
      this.#finish({ ok: false, reason });
    });
    return this.#ready;
  }

  /** The report for the interval since the last one (or since start). */
  async report(timeoutMs = 10_000): Promise<CaptureResult> {
    if (this.#pending) return { ok: false, reason: 'a report is already being read' };
    const failed = await this.start(timeoutMs);
    if (failed) return { ok: false, reason: failed };
    if (!this.#child) return { ok: false, reason: this.#failed ?? 'unavailable: nw-capture stopped' };
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.stop(); this.#finish({ ok: false, reason: `no report in ${timeoutMs} ms` }); }, timeoutMs);
      this.#pending = (r) => { clearTimeout(timer); resolve(r); };
      this.#child!.write('\n');
    });
  }

  stop(): void { this.#child?.stop(); this.#child = null; this.#ready = null; }

  #line(line: string): void {
    const r = this.#builder.line(line);
    if (this.#builder.hello && this.#onReady) this.#onReady(null);
    if (r) this.#finish({ ok: true, report: r });
  }

  #finish(r: CaptureResult): void {
    const p = this.#pending;
    this.#pending = null;
    p?.(r);
  }
}
