// npm start: build the JavaScript Electron loads, then launch Electron. Where the Electron binary cannot
// be had (no network on first run), say so and point to the headless engine instead of failing obscurely.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// fileURLToPath, not new URL().pathname: the latter keeps %20 for a space (a checkout under "My Projects").
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
execFileSync(process.execPath, [path.join(root, 'scripts/build-collector.js')], { stdio: 'inherit', cwd: root });
execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { stdio: 'inherit', cwd: root });
if (process.argv.includes('--build-only')) process.exit(0);
const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const pathFile = path.join(electronDir, 'path.txt');
const binary = fs.existsSync(pathFile) ? path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8')) : null;
if (!binary || !fs.existsSync(binary)) {
  console.error('The Electron binary is not installed (Electron downloads it on first run, which needs network access).\n' +
    'Run `npx install-electron` where the network allows it, or use the headless engine: `npx netwatch watch --jsonl`.');
  process.exit(1);
}
const child = spawn(binary, [root], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
