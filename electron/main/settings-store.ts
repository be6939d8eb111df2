// Settings on disk: validated JSON in the user data folder. A corrupt or unreadable file is kept aside
// as a backup and defaults are used, with a notice the UI shows — never a crash, never a silent loss.
import fs from 'node:fs';
import path from 'node:path';
import { SettingsSchema, defaultSettings, type Settings } from '../../shared/index.ts';

export interface Loaded { settings: Settings; notice: string | null }

export function loadSettings(file: string, now: number = Date.now()): Loaded {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings(), notice: null };
    return { settings: defaultSettings(), notice: `Settings could not be read (${(e as NodeJS.ErrnoException).code}); using defaults. ${keepAside(file, now)}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { settings: defaultSettings(), notice: `Settings file was not valid JSON; using defaults. ${keepAside(file, now)}` };
  }
  // Fields added in later versions fall back to their defaults; wrong values are refused whole.
  // An array is an object too ({...[1,2]} would merge into defaults and pass): it is refused like any
  // other non-object, with the notice and the file kept aside.
  const merged = typeof data === 'object' && data !== null && !Array.isArray(data) ? { ...defaultSettings(), ...data } : data;
  const parsed = SettingsSchema.safeParse(merged);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(root)').join(', ');
    return { settings: defaultSettings(), notice: `Settings had invalid values (${where}); using defaults. ${keepAside(file, now)}` };
  }
  return { settings: parsed.data, notice: null };
}

function keepAside(file: string, now: number): string {
  const backup = path.join(path.dirname(file), `${path.basename(file, '.json')}.corrupt-${now}.json`);
  try {
    fs.renameSync(file, backup);
    return `The old file was kept as ${path.basename(backup)}.`;
  } catch (e) {
    return `The old file could not be moved aside (${(e as NodeJS.ErrnoException).code}).`;
  }
}

/** Validates, then writes atomically (temp file + rename) so a crash mid-write cannot corrupt it. */
export function saveSettings(file: string, settings: unknown): Settings {
  const valid = SettingsSchema.parse(settings);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(valid, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return valid;
}
