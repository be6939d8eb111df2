// Messages between the engine and whoever hosts it (Electron main, a Node parent, the CLI), as
// discriminated unions. Handle them with an exhaustive switch ending in `assertNever`.
import * as z from 'zod/mini';
import { EngineConfigPatchSchema } from './config.ts';
import type { Snapshot } from './contract/snapshot.ts';
import { ConnectionQuerySchema, type ConnectionPage } from './query.ts';
import { UsageQuerySchema, type UsageAnswer } from './contract/usage.ts';

/** Ask for one page of the filtered, sorted socket list; answered by `connections` with the same id. */
const QueryConnectionsMessage = z.object({ type: z.literal('query-connections'), requestId: z.string().check(z.maxLength(100)), query: ConnectionQuerySchema });

/** Ask the usage history (totals or a series); answered by `usage` with the same id. */
const QueryUsageMessage = z.object({ type: z.literal('query-usage'), requestId: z.string().check(z.maxLength(100)), query: UsageQuerySchema });

/** What a host may ask of the engine; validated with `HostMessageSchema` before use. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  /** Replace parts of the config; applied from the next tick. */
  z.object({ type: z.literal('set-config'), config: EngineConfigPatchSchema }),
  /** Whether any view is open (connections listed, faster connection cadence) or only the tray. */
  z.object({ type: z.literal('set-visibility'), visible: z.boolean() }),
  QueryConnectionsMessage,
  QueryUsageMessage,
  /**
   * A renderer's own port comes with this message (Electron MessageChannelMain, in the transfer list):
   * the engine sends that view snapshots directly and answers its queries on it (collector/views.ts).
   */
  z.object({ type: z.literal('attach-view') }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  /** Finish the current tick, release tools and exit with code 0. */
  z.object({ type: z.literal('stop') }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

export type EngineState = 'starting' | 'running' | 'paused' | 'stopping';

export type EngineMessage =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'status'; state: EngineState; pid: number }
  | { type: 'connections'; requestId: string; page: ConnectionPage }
  | { type: 'usage'; requestId: string; answer: UsageAnswer }
  /** A host message that failed validation; the engine ignores it and says why. */
  | { type: 'rejected'; reason: string };

export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}

/** What a view may send on its own port: queries only. */
export const ViewMessageSchema = z.discriminatedUnion('type', [
  QueryConnectionsMessage,
  QueryUsageMessage,
]);
