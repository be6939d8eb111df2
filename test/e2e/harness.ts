// Starts `netwatch serve` (live or replay) as a child and Debian's Chromium through playwright-core.
// Used by the e2e tests, `npm run screenshots` and the renderer bench.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../helpers.ts';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Without the background-networking flags Chromium tries Google's hosts, which this closed network refuses. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

const MISSING = fs.existsSync(CHROMIUM) ? null
  : `no Chromium at ${CHROMIUM}: install it (Debian/Ubuntu: \`sudo apt-get install chromium\`; .ci/run does) or point CHROMIUM_PATH at one`;

/**
 * The browser tests' `skip`: without Chromium a newcomer's `npm test` reports them skipped with the
 * reason; where `CI` is set (non-empty) they run, and fail, because CI must prove them.
 */
export const chromiumSkip: string | false = MISSING !== null && !process.env['CI'] ? MISSING : false;

export function launchChromium(): Promise<Browser> {
  if (MISSING) throw new Error(MISSING);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface Serve {
  /** The page to open: the printed URL, with `?token=` when serve made one up. */
  url: string;
  /** scheme://host:port/ — API paths are appended to this. */
  base: string;
  /** The token requests need (from the printed URL, or the one the test gave), or null. */
  token: string | null;
  child: ChildProcess;
  /** XDG_CONFIG_HOME of this serve: its saved settings are `<configHome>/netwatch/settings.json`. */
  configHome: string;
  /** Headers that authorise an API request. */
  auth(): Record<string, string>;
  stop(): Promise<void>;
  status(): Promise<{ enginePid: number | null; link: { state: string; reason?: string }; restarts: number; [k: string]: unknown }>;
}

/**
 * `netwatch serve --port 0 …`; resolves once it prints where it listens. Serve makes up a token unless
 * told otherwise; `opts.token` is the one the test gave it (--token-file, NETWATCH_TOKEN), since the
 * printed URL then shows `?token=…`. Serve saves settings in the user's config folder: each run gets a
 * fresh one (removed on stop) unless `opts.env` names an XDG_CONFIG_HOME, so no test sees another's.
 */
export function startServe(args: string[], opts: { token?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Promise<Serve> {
  const own = opts.env?.['XDG_CONFIG_HOME'] === undefined;
  const configHome = opts.env?.['XDG_CONFIG_HOME'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nw-config-'));
  // `uid`/`gid`: serve as another user (root tests the unprivileged path), owning its config folder.
  const dataHome = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-serve-data-'));
  if (opts.uid !== undefined) {
    fs.chownSync(dataHome, opts.uid, opts.gid ?? opts.uid);
    if (own) fs.chownSync(configHome, opts.uid, opts.gid ?? opts.uid);
  }
  const ids = opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {};
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'netwatch.js'), 'serve', '--port', '0', ...args], {
    // The usage history goes to a folder of this run's, not the user's data folder (unless the test says).
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, XDG_DATA_HOME: dataHome, ...opts.env, XDG_CONFIG_HOME: configHome }, ...ids,
  });
  const cleanup = () => {
    fs.rmSync(dataHome, { recursive: true, force: true });
    if (own) fs.rmSync(configHome, { recursive: true, force: true });
  };
  child.once('exit', cleanup);
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`netwatch serve exited with ${code}: ${out}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/(https?:\/\/\S+?:\d+\/)(\?token=(\S+))?/);
      if (!m) return;
      const base = m[1]!;
      const shown = m[3] && m[3] !== '…' ? decodeURIComponent(m[3]) : null;
      const token = shown ?? opts.token ?? null;
      child.removeAllListeners('exit');
      child.once('exit', cleanup);
      const auth = (): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {});
      resolve({
        url: token ? `${base}?token=${encodeURIComponent(token)}` : base, base, token, child, auth, configHome,
        status: async () => (await fetch(`${base}api/status`, { headers: auth() })).json() as ReturnType<Serve['status']>,
        stop: () => new Promise<void>((r) => {
          if (child.exitCode !== null || child.signalCode !== null) return r();
          child.once('exit', () => r());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

/** The `skip`-th snapshot (0: the first) of serve's event stream. */
export async function streamSnapshot(s: Serve, skip = 0): Promise<Record<string, unknown>> {
  const ac = new AbortController();
  const r = await fetch(`${s.base}api/stream`, { headers: s.auth(), signal: ac.signal });
  const reader = r.body!.getReader();
  let text = '';
  for (;;) {
    const { value } = await reader.read();
    text += new TextDecoder().decode(value);
    const all = [...text.matchAll(/event: snapshot\ndata: (.*)\n\n/g)];
    if (all.length > skip) { ac.abort(); return JSON.parse(all[skip]![1]!); }
  }
}

/** "4.00 MB/s" (SI bytes, the default setting) → bytes/s. */
export function parseRate(text: string): number {
  const m = text.trim().match(/^([\d.]+)\s*([kMGT]?)B\/s$/);
  if (!m) throw new Error(`not a rate: ${text}`);
  return Number(m[1]) * 1000 ** ' kMGT'.indexOf(m[2] || ' ');
}

/**
 * Chromium inside network namespace `ns` (its own loopback, where a serve in that namespace listens),
 * through a wrapper script in `dir`, with one 1200×900 page whose console errors go to `problems`.
 */
export async function chromiumInNamespace(ns: string, dir: string, problems: string[]): Promise<{ browser: Browser; page: Page }> {
  const wrapper = path.join(dir, `chromium-in-${ns}`);
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  const browser = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  return { browser, page };
}

/**
 * The first whole snapshot of the page's own event stream (`base`api/stream, the page's token) for
 * which `pred` — the body of a function of `s`, run in the page — is true.
 */
export function pageSnapshotWhere<T = Record<string, unknown>>(page: Page, base: string, pred: string): Promise<T> {
  return page.evaluate(async ({ base, pred }) => {
    const ok = new Function('s', `return ${pred}`) as (s: unknown) => boolean;
    const r = await fetch(`${base}api/stream${location.search}`);
    const reader = r.body!.getReader();
    let text = '';
    for (;;) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      // Whole events only.
      const events = text.split('\n\n');
      text = events.pop()!;
      for (const e of events) {
        const m = /^event: snapshot\ndata: (.*)$/m.exec(e);
        const s = m ? JSON.parse(m[1]!) : null;
        if (s && ok(s)) { await reader.cancel(); return s; }
      }
    }
  }, { base, pred }) as Promise<T>;
}
