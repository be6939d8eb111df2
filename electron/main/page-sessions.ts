// What each page (a window's web contents) is told, and what the collector is told about pages.
// Pure: index.ts feeds it Electron's events and carries out the commands it returns.
//
// Why a model: main used to send the link state only when it changed, so a page that loaded (or
// reloaded) later never learnt that the engine was up and showed "connecting" forever; and the
// collector took "a view has a port" for "a view is visible", so a hidden popover kept the 2 s
// connection poll running. Here every page load gets the current state replayed, and visibility is
// the OR of the pages that are really visible.
import type { EngineLink, Settings } from '../../shared/index.ts';

/** webContents.id */
export type PageId = number;

export type PageCommand =
  /** Make a fresh MessageChannelMain: one end to the collector, the other to this page. */
  | { kind: 'attach-port'; page: PageId }
  | { kind: 'send-link'; page: PageId; link: EngineLink }
  | { kind: 'send-settings'; page: PageId; settings: Settings }
  /** The OR of all pages' visibility changed: tell the collector (set-visibility). */
  | { kind: 'set-visibility'; visible: boolean };

interface Page { loaded: boolean; visible: boolean }

export class PageSessions {
  #pages = new Map<PageId, Page>();
  #link: EngineLink = { state: 'down', reason: 'engine starting' };
  #settings: Settings;
  #collectorRunning = false;
  #visible = false;

  constructor(settings: Settings) { this.#settings = settings; }

  get link(): EngineLink { return this.#link; }
  /** Whether any page is visible: what the collector is (or will be, when spawned) told. */
  get visible(): boolean { return this.#visible; }

  /** A window was created for this page (not loaded yet, not shown yet). */
  opened(page: PageId): PageCommand[] {
    if (!this.#pages.has(page)) this.#pages.set(page, { loaded: false, visible: false });
    return [];
  }

  /** The page finished loading (first load or a reload): it has lost any port and state it had. */
  loaded(page: PageId): PageCommand[] {
    const p = this.#pages.get(page) ?? { loaded: false, visible: false };
    p.loaded = true;
    this.#pages.set(page, p);
    const out: PageCommand[] = [];
    // Before the collector runs a port would go nowhere; 'running' attaches every loaded page.
    if (this.#collectorRunning) out.push({ kind: 'attach-port', page });
    out.push({ kind: 'send-link', page, link: this.#link }, { kind: 'send-settings', page, settings: this.#settings });
    return out;
  }

  /** A page started navigating away (reload): until it loads again it cannot take messages. */
  unloaded(page: PageId): PageCommand[] {
    const p = this.#pages.get(page);
    if (p) p.loaded = false;
    return [];
  }

  shown(page: PageId): PageCommand[] { return this.#setVisible(page, true); }
  hidden(page: PageId): PageCommand[] { return this.#setVisible(page, false); }

  /** The window closed or its web contents were destroyed. */
  closed(page: PageId): PageCommand[] {
    this.#pages.delete(page);
    return this.#visibility();
  }

  /** A collector (re)started: every loaded page needs a new port; the link is 'up' once it sends a snapshot. */
  collectorRunning(): PageCommand[] {
    this.#collectorRunning = true;
    const out: PageCommand[] = [];
    for (const [page, p] of this.#pages) if (p.loaded) out.push({ kind: 'attach-port', page });
    return out;
  }

  collectorDown(link: Extract<EngineLink, { state: 'down' }>): PageCommand[] {
    this.#collectorRunning = false;
    return this.setLink(link);
  }

  /** A snapshot arrived. */
  snapshot(): PageCommand[] {
    return this.#link.state === 'up' ? [] : this.setLink({ state: 'up' });
  }

  setLink(link: EngineLink): PageCommand[] {
    const same = link.state === this.#link.state && (link.state === 'up' || (this.#link.state === 'down' && this.#link.reason === link.reason));
    this.#link = link;
    if (same) return [];
    return this.#loaded().map((page) => ({ kind: 'send-link', page, link }));
  }

  setSettings(settings: Settings): PageCommand[] {
    this.#settings = settings;
    return this.#loaded().map((page) => ({ kind: 'send-settings', page, settings }));
  }

  #loaded(): PageId[] {
    return [...this.#pages].filter(([, p]) => p.loaded).map(([id]) => id);
  }

  #setVisible(page: PageId, visible: boolean): PageCommand[] {
    const p = this.#pages.get(page);
    if (!p) return [];
    p.visible = visible;
    return this.#visibility();
  }

  #visibility(): PageCommand[] {
    const any = [...this.#pages.values()].some((p) => p.visible);
    if (any === this.#visible) return [];
    this.#visible = any;
    return [{ kind: 'set-visibility', visible: any }];
  }
}
