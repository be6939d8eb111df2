// Test helpers: fixtures are real captured output (see test/fixtures/README.md for their sources).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const fixture = (platform: 'linux' | 'darwin', name: string): string =>
  fs.readFileSync(path.join(ROOT, 'test', 'fixtures', platform, name), 'utf8');
export const fixtureNames = (platform: 'linux' | 'darwin'): string[] =>
  fs.readdirSync(path.join(ROOT, 'test', 'fixtures', platform)).filter((f) => f.endsWith('.txt'));
