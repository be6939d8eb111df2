// How the engine talks to its host. The same entry runs as an Electron utility process
// (`process.parentPort`), as a Node child (`child_process.fork`, `process.send`), or in-process.
import type { EngineMessage } from '../../shared/index.ts';

export interface Port {
  post(msg: EngineMessage): void;
  /** `ports`: message ports transferred with the message (Electron's attach-view), else empty. */
  onMessage(handler: (msg: unknown, ports: unknown[]) => void): void;
  /** Called when the host goes away, so the engine exits with it. */
  onClose(handler: () => void): void;
}

/** Electron's utility-process parent port, typed structurally so this file never imports electron. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown; ports?: unknown[] }) => void): unknown;
}

export function parentPort(): Port | undefined {
  const pp = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (!pp) return undefined;
  return {
    post: (m) => pp.postMessage(m),
    onMessage: (h) => pp.on('message', (e) => h(e.data, e.ports ?? [])),
    onClose: () => { /* a utility process is killed with its parent by Electron */ },
  };
}

export function forkPort(): Port | undefined {
  if (typeof process.send !== 'function') return undefined;
  return {
    post: (m) => { if (process.connected) process.send!(m); },
    onMessage: (h) => process.on('message', (m) => h(m, [])),
    onClose: (h) => process.on('disconnect', h),
  };
}

/** An in-process pair, for the CLI and tests: what the engine posts goes to `receive`. */
export function localPort(receive: (m: EngineMessage) => void): Port & { deliver(msg: unknown): void } {
  let handler: ((m: unknown, ports: unknown[]) => void) | undefined;
  return {
    post: receive,
    onMessage: (h) => { handler = h; },
    onClose: () => {},
    deliver: (m) => handler?.(m, []),
  };
}
