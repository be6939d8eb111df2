// A checkout without dist/renderer (a fresh clone) still serves the dashboard: `netwatch serve` builds it
// once with the project's own vite (about a second here), so a newcomer never meets "no built dashboard".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Null when `staticDir` holds the dashboard (built now if needed), else why it cannot be had. */
export async function ensureDashboard(staticDir: string, root: string, log: (line: string) => void): Promise<string | null> {
  if (fs.existsSync(path.join(staticDir, 'index.html'))) return null;
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  // Only the checkout's own build output can be built here; vite is a devDependency.
  if (path.resolve(staticDir) !== path.join(root, 'dist', 'renderer') || !fs.existsSync(vite) || !fs.existsSync(path.join(root, 'vite.config.ts'))) {
    return `no built dashboard in ${staticDir}: run \`npm install\` and \`npm run build:renderer\` in the checkout`;
  }
  log(`netwatch serve: no dashboard in ${staticDir} yet; building it (npm run build:renderer)…`);
  // vite's output goes to stderr: stdout's first line is where serve listens, which scripts read.
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
    child.once('error', () => resolve(null));
    child.once('exit', (c) => resolve(c));
  });
  if (code === 0 && fs.existsSync(path.join(staticDir, 'index.html'))) return null;
  return `building the dashboard failed (vite exited with ${code}): run \`npm run build:renderer\` to see why`;
}
