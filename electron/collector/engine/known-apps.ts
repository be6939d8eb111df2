// The apps the new-app detector has learned, kept in a small JSON file beside the usage history
// (`known-apps.json` next to history.sqlite: the desktop app's userData, serve's data folder or --db's
// folder). A damaged file is moved aside and learning starts afresh, with a notice; never a throw.
// Bounded: at most MAX_KNOWN_APPS apps (the longest unseen forgotten first), a file of a few MB at most.
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { LEARN_MS } from './new-app.ts';

export const KNOWN_APPS_FILE = 'known-apps.json';
export const MAX_KNOWN_APPS = 5000;
/** A file larger than this is not one we wrote (5000 apps × ~600 bytes). */
const MAX_FILE_BYTES = 4 << 20;
/** When only last-seen times changed, the file is rewritten at most this often. */
const SEEN_WRITE_MS = 3_600_000;

const FileSchema = z.object({
  version: z.literal(1),
  /** Epoch ms the first run started (the learning window is counted from it). */
  since: z.number(),
  apps: z.array(z.object({ id: z.string().check(z.maxLength(1024)), name: z.string().check(z.maxLength(300)), firstTs: z.number(), lastTs: z.number() })).check(z.maxLength(MAX_KNOWN_APPS)),
});
type KnownFile = z.infer<typeof FileSchema>;

/** Where the known apps live for a history database path; null (no history kept): in memory only. */
export const knownAppsPath = (historyPath: string | null): string | null =>
  historyPath && historyPath !== ':memory:' ? path.join(path.dirname(historyPath), KNOWN_APPS_FILE) : null;

export class KnownApps {
  readonly file: string | null;
  /** Epoch ms the first run started. */
  readonly since: number;
  /** Said once: the file was damaged and moved aside, or cannot be written. */
  notice: string | null;
  #apps: Map<string, { name: string; firstTs: number; lastTs: number }>;
  #dirty = false;
  #writtenAt = 0;
  #failedAt = -Infinity;

  private constructor(file: string | null, data: KnownFile, notice: string | null, now: number) {
    this.file = file;
    this.since = data.since;
    this.notice = notice;
    this.#apps = new Map(data.apps.sort((a, b) => a.lastTs - b.lastTs).map((a) => [a.id, { name: a.name, firstTs: a.firstTs, lastTs: a.lastTs }]));
    this.#writtenAt = now;
  }

  /** Loads `file` (null: memory only); a missing file is a first run, a damaged one is moved aside (a first run too). */
  static open(file: string | null, now: number): KnownApps {
    const fresh: KnownFile = { version: 1, since: now, apps: [] };
    if (!file) return new KnownApps(null, fresh, null, now);
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_FILE_BYTES) return KnownApps.#aside(file, `larger than ${MAX_FILE_BYTES >> 20} MB`, now);
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') { const k = new KnownApps(file, fresh, null, now); k.#dirty = true; k.flush(now); return k; }
      return new KnownApps(null, fresh, `${file}: ${(e as Error).message}; learned apps are kept in memory only`, now);
    }
    let json: unknown;
    try { json = JSON.parse(text); } catch (e) { return KnownApps.#aside(file, (e as Error).message, now); }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) return KnownApps.#aside(file, `not a known-apps file (${parsed.error.issues[0]?.path.join('.') || 'root'})`, now);
    return new KnownApps(file, parsed.data, null, now);
  }

  static #aside(file: string, why: string, now: number): KnownApps {
    const aside = file.replace(/\.json$/, '') + `.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}.json`;
    let notice = `${file} was damaged (${why}): moved aside to ${aside}; apps are learned afresh, silently for ${LEARN_MS / 60_000} minutes`;
    try { fs.renameSync(file, aside); } catch (e) { notice = `${file} was damaged (${why}) and could not be moved aside (${(e as Error).message}); learned apps are kept in memory only`; return new KnownApps(null, { version: 1, since: now, apps: [] }, notice, now); }
    const k = new KnownApps(file, { version: 1, since: now, apps: [] }, notice, now);
    k.#dirty = true;
    k.flush(now);
    return k;
  }

  get size(): number { return this.#apps.size; }
  has(id: string): boolean { return this.#apps.has(id); }

  seen(id: string, now: number): void {
    const a = this.#apps.get(id);
    if (!a) return;
    a.lastTs = now;
    this.#apps.delete(id); this.#apps.set(id, a); // the map's order is recency: the oldest is forgotten first
  }

  add(id: string, name: string, now: number): void {
    if (this.#apps.size >= MAX_KNOWN_APPS) this.#apps.delete(this.#apps.keys().next().value!);
    this.#apps.set(id.slice(0, 1024), { name: name.slice(0, 300), firstTs: now, lastTs: now });
    this.#dirty = true;
  }

  /** Writes the file when an app was learned (or hourly for last-seen times): temporary file, then rename. */
  flush(now: number): void {
    if (!this.file || (!this.#dirty && now - this.#writtenAt < SEEN_WRITE_MS) || now - this.#failedAt < 60_000) return;
    const data: KnownFile = { version: 1, since: this.since, apps: [...this.#apps].map(([id, a]) => ({ id, ...a })) };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(data) + '\n');
      fs.renameSync(tmp, this.file);
      this.#dirty = false;
      this.#writtenAt = now;
    } catch (e) {
      try { fs.rmSync(tmp, { force: true }); } catch { /* nothing written */ }
      // Said once; the apps stay learned for this run and the next write tries again.
      this.notice ??= `${this.file} cannot be written (${(e as Error).message}); learned apps are kept in memory until it can`;
      this.#failedAt = now; // tried again a minute later, not at every poll
    }
  }
}
