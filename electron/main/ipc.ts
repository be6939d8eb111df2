// What the renderer may ask of main, checked before anything happens: the sender must be one of our
// own pages (app://netwatch), and every payload is validated. Pure, so it is tested without Electron.
import * as z from 'zod/mini';
import { SettingsSchema, VIEWS, issuesText, type Settings, type ViewName } from '../../shared/index.ts';
import { isAppUrl } from './security.ts';

import { CH } from '../../shared/ipc-channels.ts';

export { CH };

export type IpcRequest =
  | { channel: typeof CH.getSettings }
  | { channel: typeof CH.setSettings; settings: Settings }
  | { channel: typeof CH.open; view: ViewName; arg: string | null };

const OpenSchema = z.tuple([z.enum(VIEWS), z.optional(z.nullable(z.string().check(z.maxLength(200))))]);

/** The request, or why it is refused. `senderUrl` is the sending frame's URL (event.senderFrame.url). */
export function checkIpc(channel: string, senderUrl: string | undefined, args: unknown[]): { ok: true; req: IpcRequest } | { ok: false; reason: string } {
  if (!senderUrl || !isAppUrl(senderUrl)) return { ok: false, reason: `sender ${senderUrl ?? '(none)'} is not an app page` };
  switch (channel) {
    case CH.getSettings: return { ok: true, req: { channel } };
    case CH.setSettings: {
      const s = SettingsSchema.safeParse(args[0]);
      return s.success ? { ok: true, req: { channel, settings: s.data } } : { ok: false, reason: issuesText(s.error) };
    }
    case CH.open: {
      const o = OpenSchema.safeParse(args);
      return o.success ? { ok: true, req: { channel, view: o.data[0], arg: o.data[1] ?? null } } : { ok: false, reason: issuesText(o.error) };
    }
    default: return { ok: false, reason: `unknown channel ${channel}` };
  }
}
