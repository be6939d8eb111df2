// Renderer bench: frame times while scrolling the Connections table over 10,000 sockets, in Debian's
// Chromium against `netwatch serve --replay` of a demo recording (scripts/demo-recording.ts; needs root).
// A frame's time is the gap between consecutive requestAnimationFrame callbacks in the page: 16.7 ms
// at 60 Hz when nothing blocks, more when script, style or layout overran a frame. Measured at the
// popover's width (360 px: columns drop, truncation) and a window's (1200 px).
// usage: node bench/renderer.bench.ts [--recording FILE]
/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, startServe } from '../test/e2e/harness.ts';
import { demoRecording } from '../scripts/demo-recording.ts';

const { values } = parseArgs({ options: { recording: { type: 'string' } } });
let file = values.recording;
if (!file) {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nw-bench-')), 'demo.jsonl');
  await demoRecording(file, 10);
}
const serve = await startServe(['--replay', file]);
const browser = await launchChromium();
try {
  console.log(`# Renderer bench — ${new Date().toISOString()}, Chromium ${browser.version()}`);
  for (const size of [{ width: 360, height: 520 }, { width: 1200, height: 800 }]) {
    const page = await browser.newPage({ viewport: size });
    await page.goto(`${serve.url}#/connections`);
    await page.waitForFunction(() => /^10,\d{3} of/.test(document.querySelector('[data-testid="conn-count"]')?.textContent ?? ''));
    await page.waitForTimeout(1000);
    for (const pxPerFrame of [120, 1200]) {
      const r = await page.evaluate((step) => new Promise<{ frames: number[]; rowsShown: number; blank: number }>((resolve) => {
        const v = document.querySelector('[data-testid="conn-viewport"]') as HTMLElement;
        v.scrollTop = 0;
        const frames: number[] = [];
        let last = 0, blank = 0, rowsShown = 0;
        const tick = (t: number) => {
          if (last) frames.push(t - last);
          last = t;
          // Rows whose page has not arrived yet show "…": count them to see whether fetching keeps up.
          rowsShown += document.querySelectorAll('[data-row]').length;
          blank += document.querySelectorAll('[data-row] .muted').length;
          if (frames.length >= 600 || v.scrollTop + v.clientHeight >= v.scrollHeight) { resolve({ frames, rowsShown, blank }); return; }
          v.scrollTop += step;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }), pxPerFrame);
      const sorted = [...r.frames].sort((a, b) => a - b);
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
      console.log(`${size.width}×${size.height}: scroll ${pxPerFrame} px/frame over ${r.frames.length} frames: frame time p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms — target p95 < 20 ms; rows still loading: ${((r.blank / r.rowsShown) * 100).toFixed(1)} % of rows drawn`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await serve.stop();
}
