// `npm run screenshots`: PNGs of every view (shared VIEWS) at the popover's size (360×520) and a window's
// (1200×800), light and dark, from a replayed demo recording (see scripts/demo-recording.ts), into
// screenshots/ (git-ignored) as <view>-<popover|window>-<light|dark>.png. Each shot is the viewport
// only: what a person sees without scrolling. Pass --recording FILE to reuse one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, startServe } from '../test/e2e/harness.ts';
import { demoRecording } from './demo-recording.ts';
import { ROOT } from '../bench/lab.ts';
import { VIEWS } from '../shared/index.ts';
import { buildHistory } from '../test/e2e/usage-history.ts';

const { values } = parseArgs({ options: { recording: { type: 'string' }, out: { type: 'string' } } });
const out = path.resolve(values.out ?? path.join(ROOT, 'screenshots'));
fs.mkdirSync(out, { recursive: true });
let file = values.recording;
if (!file) {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nw-shots-')), 'demo.jsonl');
  console.log('recording a demo (20 s)…');
  await demoRecording(file, 20);
}
// The Usage view's history: made by the real engine from real traffic of two apps of ours (loopback),
// with a fake clock so a few seconds cover today and three days before (test/e2e/usage-history.ts).
const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nw-shots-history-')), 'history.sqlite');
console.log('building a usage history…');
await buildHistory(db);

/** Where a view needs more than its route: an argument, what to wait for, keys to press first. */
const EXTRA: Partial<Record<string, { hash?: string; ready?: string; pre?: string }>> = {
  popover: { ready: '[data-testid="wifi-card"]' },
  interface: { hash: '#/interface/nwba', ready: '[data-testid="chart"]' },
  processes: { ready: '[data-testid="processes-table"] tbody tr' },
  connections: { ready: '[data-row="3"] [role="gridcell"]:nth-child(4)', pre: '[data-testid="conn-table"]' },
  alerts: { ready: '[data-testid="alert"]' },
  system: { ready: '[data-testid="sources-panel"]' },
  usage: { ready: '[data-testid="usage-table"] tbody tr[data-key]' },
  settings: { ready: '[data-testid="save"]' },
};
const SIZES = { popover: { width: 360, height: 520 }, window: { width: 1200, height: 800 } } as const;

const serve = await startServe(['--replay', file, '--db', db]);
/** Settings as the page saves them; the Usage shots count loopback (the history's traffic is loopback). */
const settings = async (patch?: Record<string, unknown>) => {
  const s = await (await fetch(`${serve.base}api/settings`, { headers: serve.auth() })).json() as Record<string, unknown>;
  if (patch) await fetch(`${serve.base}api/settings`, { method: 'POST', headers: { ...serve.auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ ...s, ...patch }) });
  return s;
};
const browser = await launchChromium();
try {
  for (const scheme of ['light', 'dark'] as const) {
    for (const view of VIEWS) {
      for (const [size, viewport] of Object.entries(SIZES)) {
        const v = EXTRA[view] ?? {};
        const before = view === 'usage' ? await settings({ totalInterfaces: ['lo', 'nwba', 'nwbc'] }) : null;
        const page = await browser.newPage({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
        await page.goto(`${serve.url}${v.hash ?? `#/${view}`}`);
        await page.locator(v.ready ?? '[data-testid="view"]').first().waitFor({ timeout: 30_000 });
        // Let the replay move past its first frames so rates, charts, the alert and the first probes are there.
        await page.waitForTimeout(6500);
        if (v.pre) { await page.locator(v.pre).focus(); await page.keyboard.press('ArrowDown'); await page.keyboard.press('ArrowDown'); }
        const png = path.join(out, `${view}-${size}-${scheme}.png`);
        await page.screenshot({ path: png });
        console.log(`${png} ${(fs.statSync(png).size / 1024).toFixed(0)} KB`);
        await page.close();
        if (before) await settings(before);
      }
    }
  }
} finally {
  await browser.close();
  await serve.stop();
}
