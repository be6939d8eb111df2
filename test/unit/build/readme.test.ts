// The README's images and repository links point at files that are committed (docs/screenshots/ was
// once only on one machine), and the screenshots are real PNGs, not empty placeholders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../helpers.ts';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const tracked = new Set(execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n'));

test('every image and relative link in README.md is a file or folder in git', () => {
  const targets = [...readme.matchAll(/\]\(((?!https?:|#)[^)\s]+)\)/g)].map((m) => m[1]!.replace(/#.*$/, ''));
  const images = targets.filter((t) => /\.png$/.test(t));
  assert.ok(images.length >= 3, `${images.length} images`);
  for (const t of targets) {
    const rel = path.normalize(t).replace(/\/$/, '');
    assert.ok(tracked.has(rel) || [...tracked].some((f) => f.startsWith(rel + '/')), `${t} is not committed`);
  }
  for (const img of images) {
    const png = fs.readFileSync(path.join(ROOT, img));
    assert.equal(png.subarray(1, 4).toString(), 'PNG', img);
    // IHDR width and height: a real view, not a 1×1 placeholder.
    assert.ok(png.readUInt32BE(16) >= 300 && png.readUInt32BE(20) >= 300, `${img} ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`);
  }
});
