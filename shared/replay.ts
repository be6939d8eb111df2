// The latest value of something a host pushes (link state, settings), replayed to whoever subscribes
// later. A page's scripts may subscribe after the host already spoke (the preload hears main as soon
// as the page loads; the renderer's state subscribes when the app mounts): without the replay a late
// subscriber waits for the next change, which for the link state may never come.
export class Replay<T> {
  #value: { v: T } | null = null;
  #subs = new Set<(v: T) => void>();

  get current(): T | undefined { return this.#value?.v; }

  set(v: T): void {
    this.#value = { v };
    for (const cb of [...this.#subs]) cb(v);
  }

  /** Calls `cb` at once with the latest value if there is one, then on every change. */
  subscribe(cb: (v: T) => void): () => void {
    this.#subs.add(cb);
    if (this.#value) cb(this.#value.v);
    return () => { this.#subs.delete(cb); };
  }
}
