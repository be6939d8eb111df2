// The tray's context menu as plain data: which items, in which order, with which state. index.ts maps
// each id to an action and hands the list to Electron's Menu.buildFromTemplate.
import type { TrayText } from './tray-text.ts';
import type { ViewName } from '../../shared/index.ts';

/** The drill-down windows, named as the renderer's routes (shared/bridge.ts). */
export const VIEWS = ['interface', 'processes', 'connections', 'alerts', 'system', 'settings'] as const satisfies readonly ViewName[];
export type View = (typeof VIEWS)[number];

export type MenuAction = { kind: 'open-popover' } | { kind: 'open-view'; view: View } | { kind: 'toggle-pause' }
  | { kind: 'toggle-login' } | { kind: 'quit' };

export type MenuItem =
  | { type: 'separator' }
  | { type: 'normal'; label: string; action: MenuAction | null; enabled: boolean }
  | { type: 'checkbox'; label: string; action: MenuAction; checked: boolean };

export interface MenuState {
  paused: boolean; launchAtLogin: boolean; platform: 'darwin' | 'linux' | 'win32'; text: TrayText;
  /** Whether the popover and drill-down windows exist yet (they arrive with the renderer). */
  windows: boolean;
}

const LABELS: Record<View, string> = { interface: 'Interfaces…', processes: 'Processes…', connections: 'Connections…', alerts: 'Alerts…', system: 'System…', settings: 'Settings…' };

export function menuTemplate(s: MenuState): MenuItem[] {
  const items: MenuItem[] = [];
  // Linux trays show no title text, so the live speeds head the menu (and the tooltip).
  if (s.platform !== 'darwin') items.push({ type: 'normal', label: s.text.title, action: null, enabled: false }, { type: 'separator' });
  if (s.windows) {
    items.push({ type: 'normal', label: 'Open NetWatch', action: { kind: 'open-popover' }, enabled: true }, { type: 'separator' });
    for (const view of VIEWS) items.push({ type: 'normal', label: LABELS[view], action: { kind: 'open-view', view }, enabled: true });
    items.push({ type: 'separator' });
  }
  items.push(
    { type: 'normal', label: s.paused ? 'Resume Monitoring' : 'Pause Monitoring', action: { kind: 'toggle-pause' }, enabled: true },
    { type: 'checkbox', label: 'Launch at Login', action: { kind: 'toggle-login' }, checked: s.launchAtLogin },
    { type: 'separator' },
    { type: 'normal', label: 'Quit NetWatch', action: { kind: 'quit' }, enabled: true },
  );
  return items;
}
