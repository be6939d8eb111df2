// How the engine talks to its host. The same entry runs as an Electron utility process
// (`process.parentPort`), as a Node child (`child_process.fork`, `process.send`), or in-process.
import type { EngineMessage } from '../../shared/index.ts';

export interface Port {
  post(msg: EngineMessage): void;
  onMessage(handler: (msg: unknown) => void): void;
  /** Called when the host goes away, so the engine exits with it. */
  onClose(handler: () => void): void;
}

/** Electron's utility-process parent port, typed structurally so this file never imports electron. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
}

export function parentPort(): Port | undefined {
  const pp = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (!pp) return undefined;
  return {
    post: (m) => pp.postMessage(m),
    onMessage: (h) => pp.on('message', (e) => h(e.data)),
    onClose: () => { /* a utility process is killed with its parent by Electron */ },
  };
}

export function forkPort(): Port | undefined {
  if (typeof process.send !== 'function') return undefined;
  return {
    post: (m) => { if (process.connected) process.send!(m); },
    onMessage: (h) => process.on('message', h),
    onClose: (h) => process.on('disconnect', h),
  };
}

/** An in-process pair, for the CLI and tests: what the engine posts goes to `receive`. */
export function localPort(receive: (m: EngineMessage) => void): Port & { deliver(msg: unknown): void } {
  let handler: ((m: unknown) => void) | undefined;
  return {
    post: receive,
    onMessage: (h) => { handler = h; },
    onClose: () => {},
    deliver: (m) => handler?.(m),
  };
}
