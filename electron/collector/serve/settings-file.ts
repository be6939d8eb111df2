// `netwatch serve` keeps the settings saved from its page in the user's config folder, as the app keeps
// its own (electron/main/settings-store.ts): the same rules from shared/settings.ts (validated, a
// corrupt file kept aside with a notice), here with Node's calls. Linux: $XDG_CONFIG_HOME/netwatch
// (~/.config/netwatch); macOS: ~/Library/Preferences/netwatch. The app's folder is another one
// (~/.config/NetWatch), so a desktop app and a server on one machine do not overwrite each other.
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { loadSettingsFile, saveSettingsFile, type LoadedSettings, settingsFileOps, type Settings } from '../../../shared/index.ts';

/** Where serve's settings live (read at call time, so XDG_CONFIG_HOME set for a run is honoured). */
export const serveSettingsPath = (): string => path.join(envPaths('netwatch', { suffix: '' }).config, 'settings.json');

const ops = settingsFileOps(fs, process.pid);

export const loadServeSettings = (file: string, now: number = Date.now()): LoadedSettings => loadSettingsFile(ops, file, now);
export const saveServeSettings = (file: string, s: unknown): Settings => saveSettingsFile(ops, file, s);
