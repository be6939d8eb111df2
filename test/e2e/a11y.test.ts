/// <reference lib="dom" />
// axe-core in real Chromium on every route (shared VIEWS), light and dark, against a replay of the demo
// lab (scripts/demo-recording.ts): no serious or critical violation. The popover is checked at its
// window's size (360×520), every view at a window's (1200×800) and, for the narrow layout, at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { chromiumSkip, launchChromium, startServe, type Serve } from './harness.ts';
import { demoRecording } from '../../scripts/demo-recording.ts';
import { VIEWS } from '../../shared/index.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const root = process.getuid?.() === 0;
const skip = chromiumSkip || (root ? false : 'the recording needs network namespaces: run as root (CI does)');
let dir: string;
let serve: Serve;
let browser: Browser;

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nw-a11y-'));
  await demoRecording(path.join(dir, 'demo.jsonl'), 12);
  serve = await startServe(['--replay', path.join(dir, 'demo.jsonl')]);
  browser = await launchChromium();
}, { timeout: 120_000 });
after(async () => {
  await browser?.close();
  await serve?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Found { id: string; impact: string | null; help: string; nodes: string[] }

/** A route's hash with the argument a person would have (an interface of the lab). */
const hashOf = (v: string) => (v === 'interface' ? '#/interface/nwba' : `#/${v}`);
const SIZES = [{ width: 1200, height: 800 }, { width: 360, height: 520 }];

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: no serious or critical violation on any route, ${scheme}`, { skip, timeout: 180_000 }, async (t) => {
    const bad: string[] = [];
    for (const view of VIEWS) {
      for (const size of SIZES) {
        // The page's CSP allows no injected script; axe is a test tool, so this context bypasses it.
        const ctx = await browser.newContext({ viewport: size, colorScheme: scheme, bypassCSP: true });
        const page = await ctx.newPage();
        await page.goto(`${serve.url}${hashOf(view)}`);
        // Data in: no placeholder left, then a moment for charts and lazy parts.
        await page.waitForFunction(() => document.querySelector('[data-testid="view"]') && !document.querySelector('[data-testid="placeholder"]'));
        await page.waitForTimeout(1500);
        await page.addScriptTag({ path: AXE });
        const found = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
          const r = await axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
        }) as Found[];
        for (const v of found) {
          const line = `${view} ${size.width}×${size.height}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`;
          if (v.impact === 'serious' || v.impact === 'critical') bad.push(line); else t.diagnostic(line);
        }
        await ctx.close();
      }
    }
    assert.deepEqual(bad, []);
  });
}
