// Renderers' own ports to the engine. In Electron, main hands each window one end of a
// MessageChannelMain and the collector the other: snapshots then go straight to the window, not through
// main, and the window's connection queries are answered on its port. A view may only query.
import {
  ViewMessageSchema, issuesText, type ConnectionPage, type ConnectionQuery, type EngineMessage, type UsageAnswer, type UsageQuery,
} from '../../shared/index.ts';

export interface ViewPort {
  post(m: EngineMessage): void;
  onMessage(h: (m: unknown) => void): void;
  onClose(h: () => void): void;
}

export class ViewHub {
  #ports = new Set<ViewPort>();
  #query: (q: ConnectionQuery) => ConnectionPage;
  #usage: (q: UsageQuery) => UsageAnswer;

  /** How fast the engine polls is not decided here: a port stays attached while its window is hidden. */
  constructor(query: (q: ConnectionQuery) => ConnectionPage, usage: (q: UsageQuery) => UsageAnswer = () => ({ kind: 'error', error: 'no usage history here' })) {
    this.#query = query;
    this.#usage = usage;
  }

  get size(): number { return this.#ports.size; }

  attach(p: ViewPort): void {
    this.#ports.add(p);
    p.onMessage((raw) => {
      const m = ViewMessageSchema.safeParse(raw);
      if (!m.success) { p.post({ type: 'rejected', reason: issuesText(m.error) }); return; }
      const q = m.data;
      if (q.type === 'query-usage') p.post({ type: 'usage', requestId: q.requestId, answer: this.#usage(q.query) });
      else p.post({ type: 'connections', requestId: q.requestId, page: this.#query(q.query) });
    });
    p.onClose(() => { this.#ports.delete(p); });
  }

  /** Snapshots to every attached view. A port whose window went away without closing is dropped. */
  broadcast(m: EngineMessage): void {
    for (const p of this.#ports) {
      try { p.post(m); } catch { this.#ports.delete(p); }
    }
  }
}

/** Electron's MessagePortMain, typed structurally so the collector never imports electron. */
interface MessagePortMainLike {
  postMessage(m: unknown): void;
  on(ev: 'message', h: (e: { data: unknown }) => void): unknown;
  on(ev: 'close', h: () => void): unknown;
  start(): void;
}

export function electronViewPort(port: unknown): ViewPort {
  const p = port as MessagePortMainLike;
  const v: ViewPort = {
    post: (m) => p.postMessage(m),
    onMessage: (h) => { p.on('message', (e) => h(e.data)); },
    onClose: (h) => { p.on('close', h); },
  };
  p.start();
  return v;
}
