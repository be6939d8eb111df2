// `npm run screenshots`: PNGs of every view, light and dark, from a replayed demo recording (see
// scripts/demo-recording.ts), into screenshots/ (git-ignored). Pass --recording FILE to reuse one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, startServe } from '../test/e2e/harness.ts';
import { demoRecording } from './demo-recording.ts';
import { ROOT } from '../bench/lab.ts';

const { values } = parseArgs({ options: { recording: { type: 'string' }, out: { type: 'string' } } });
const out = path.resolve(values.out ?? path.join(ROOT, 'screenshots'));
fs.mkdirSync(out, { recursive: true });
let file = values.recording;
if (!file) {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nw-shots-')), 'demo.jsonl');
  console.log('recording a demo (20 s)…');
  await demoRecording(file, 20);
}

const VIEWS: Array<{ name: string; hash: string; size: { width: number; height: number }; ready: string; pre?: string }> = [
  { name: 'popover', hash: '#/popover', size: { width: 380, height: 860 }, ready: '[data-testid="wifi-card"]' },
  { name: 'interface', hash: '#/interface/nwba', size: { width: 1000, height: 700 }, ready: 'canvas' },
  { name: 'processes', hash: '#/processes', size: { width: 1000, height: 600 }, ready: '[data-testid="processes-table"] tbody tr' },
  { name: 'connections', hash: '#/connections', size: { width: 1200, height: 800 }, ready: '[data-row="3"] [role="gridcell"]:nth-child(4)', pre: '[data-testid="conn-table"]' },
  { name: 'alerts', hash: '#/alerts', size: { width: 1100, height: 500 }, ready: '[data-testid="alerts-active"] tbody tr' },
  { name: 'settings', hash: '#/settings', size: { width: 800, height: 900 }, ready: '[data-testid="save"]' },
];

const serve = await startServe(['--replay', file]);
const browser = await launchChromium();
try {
  for (const scheme of ['light', 'dark'] as const) {
    for (const v of VIEWS) {
      const page = await browser.newPage({ viewport: v.size, colorScheme: scheme, deviceScaleFactor: 1 });
      await page.goto(`${serve.url}${v.hash}`);
      await page.locator(v.ready).first().waitFor({ timeout: 30_000 });
      // Let the replay move past its first frames so rates, charts, the alert and the first probes are there.
      await page.waitForTimeout(6500);
      if (v.pre) { await page.locator(v.pre).focus(); await page.keyboard.press('ArrowDown'); await page.keyboard.press('ArrowDown'); }
      const png = path.join(out, `${v.name}-${scheme}.png`);
      await page.screenshot({ path: png, fullPage: true });
      console.log(`${png} ${(fs.statSync(png).size / 1024).toFixed(0)} KB`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await serve.stop();
}
