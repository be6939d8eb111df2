// Every browser test says "skipped: no Chromium" on a newcomer's machine instead of failing (and fails
// where CI is set): each e2e file that launches Chromium takes its skip from harness.chromiumSkip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../helpers.ts';

test('each e2e test file that launches Chromium skips its tests and hooks with chromiumSkip', () => {
  const dir = path.join(ROOT, 'test', 'e2e');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts'));
  const browser = files.filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('launchChromium('));
  assert.ok(browser.length >= 3, browser.join(' '));
  for (const f of browser) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const tests = [...text.matchAll(/^test\('[^\n]*/gm)].map((m) => m[0]);
    assert.ok(/if \((chromiumSkip|skip)\) return;/.test(text), `${f}: its before() hook must return early when skipping`);
    for (const t of tests) assert.match(t, /\{ skip(: chromiumSkip)? \}|skip: chromiumSkip/, `${f}: ${t.slice(0, 80)}`);
    if (!text.includes('skip: chromiumSkip')) assert.match(text, /const skip = chromiumSkip \|\|/, `${f}: its skip includes chromiumSkip`);
  }
});
