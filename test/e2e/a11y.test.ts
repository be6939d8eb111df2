/// <reference lib="dom" />
// axe-core in real Chromium on every route (shared VIEWS), light and dark, against a replay of the demo
// lab (scripts/demo-recording.ts): no serious or critical violation. The popover is checked at its
// window's size (360×520), every view at a window's (1200×800) and, for the narrow layout, at 360 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { labSkip, useLabReplay } from './lab-replay.ts';
import { VIEWS } from '../../shared/index.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const skip = labSkip;
const lab = useLabReplay(12);

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
        const ctx = await lab.browser.newContext({ viewport: size, colorScheme: scheme, bypassCSP: true });
        const page = await ctx.newPage();
        await page.goto(`${lab.serve.url}${hashOf(view)}`);
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
