// App icons for the usage answers: the icon name an app's desktop entry gives (Icon=, kept with the app
// in the history) found as a file the way a desktop menu finds it in the hicolor theme (every icon theme
// falls back to it) and in pixmaps, and handed to the view as a data: URL (the pages' CSP allows data:
// images; an <img> never runs an SVG's scripts). PNG and SVG only; at most MAX_ICON_BYTES.
import fs from 'node:fs';
import { applicationDirs } from '../linux/desktop-entries.ts';

export const MAX_ICON_BYTES = 256_000;
/** The cache starts again beyond this many bytes of data: URLs (memory stays bounded however many apps). */
const MAX_CACHE_BYTES = 8_000_000;
/** Sizes tried, best for a 16–24 px table cell first; scalable is SVG. */
const SIZES = ['32x32', '48x48', '24x24', '64x64', '128x128', '256x256', 'scalable'];
const TYPES: Record<string, string> = { png: 'image/png', svg: 'image/svg+xml' };

/** Files that may hold icon `name`, in the order looked at: an absolute Icon= as it is, else by theme. */
export function iconFiles(name: string, env: Record<string, string | undefined>, home: string): string[] {
  if (name.startsWith('/')) return /\.(png|svg)$/.test(name) ? [name] : [];
  if (!/^[\w.+-]+$/.test(name) || name.startsWith('.')) return []; // a name, never a path
  const bases = applicationDirs(env, home).map((d) => d.slice(0, -'/applications'.length));
  return [
    ...bases.flatMap((b) => SIZES.map((s) => `${b}/icons/hicolor/${s}/apps/${name}.${s === 'scalable' ? 'svg' : 'png'}`)),
    ...bases.flatMap((b) => ['png', 'svg'].map((x) => `${b}/pixmaps/${name}.${x}`)),
  ];
}

/** Icon name → data: URL or null (none found), looked up once per name. */
export class IconCache {
  #m = new Map<string, string | null>();
  #bytes = 0;
  #env: Record<string, string | undefined>;
  #home: string;
  constructor(env: Record<string, string | undefined> = process.env, home = process.env['HOME'] ?? '/root') { this.#env = env; this.#home = home; }

  url(name: string | null): string | null {
    if (!name) return null;
    let u = this.#m.get(name);
    if (u === undefined) {
      u = null;
      for (const f of iconFiles(name, this.#env, this.#home)) {
        try {
          const st = fs.statSync(f);
          if (!st.isFile() || st.size > MAX_ICON_BYTES) continue;
          u = `data:${TYPES[f.slice(f.lastIndexOf('.') + 1)]};base64,${fs.readFileSync(f).toString('base64')}`;
          break;
        } catch { /* not there: the next place */ }
      }
      if (this.#m.size > 1000 || this.#bytes + (u?.length ?? 0) > MAX_CACHE_BYTES) { this.#m.clear(); this.#bytes = 0; }
      this.#m.set(name, u);
      this.#bytes += u?.length ?? 0;
    }
    return u;
  }
}
