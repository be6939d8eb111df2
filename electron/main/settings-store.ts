// Settings on disk: validated JSON in the user data folder. The rules (a corrupt or unreadable file is
// kept aside as a backup and defaults are used, with a notice the UI shows) are shared/settings.ts's,
// which `netwatch serve` uses too; here only the Node calls.
import fs from 'node:fs';
import { loadSettingsFile, saveSettingsFile, type LoadedSettings, settingsFileOps, type Settings } from '../../shared/index.ts';

export type Loaded = LoadedSettings;

const ops = settingsFileOps(fs, process.pid);

export const loadSettings = (file: string, now: number = Date.now()): Loaded => loadSettingsFile(ops, file, now);
export const saveSettings = (file: string, settings: unknown): Settings => saveSettingsFile(ops, file, settings);
