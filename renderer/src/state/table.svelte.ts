// The Connections table's state: the query (filter, sort) and the page of rows around what is on
// screen. The engine filters and sorts; we ask again when the view scrolls past the page, when the
// query changes and after every connection poll.
import { defaultQuery, MAX_PAGE, sameConnection, type Bridge, type ConnectionKey, type ConnectionPage, type ConnectionQuery } from '../../../shared/index.ts';

/** Rows fetched beyond the visible ones on each side, so small scrolls need no request. */
export const MARGIN = 150;

export class ConnectionTable {
  query = $state<ConnectionQuery>(defaultQuery());
  page = $state.raw<ConnectionPage | null>(null);
  error = $state<string | null>(null);
  /**
   * The selected connection by identity, not by row number: it stays selected when a poll or a re-sort
   * moves it, and each answer says where it now stands (`selectedIndex`).
   */
  selected = $state.raw<ConnectionKey | null>(null);
  #inflight = false;
  #again: number | null = null;
  #first = 0;
  #last = 0;

  constructor(readonly bridge: Bridge) {}

  /** The visible rows changed (scroll, or a new filter/sort): fetch unless the fresh page covers them. */
  show(first: number, last: number): void {
    this.#first = first;
    this.#last = last;
    const p = this.page;
    const covered = p && this.fresh && p.query.offset <= first && p.query.offset + p.rows.length >= Math.min(last, p.matched);
    if (!covered) this.fetch();
  }

  /** (Re)fetch the page around the visible rows; coalesces bursts (one request in flight at a time). */
  fetch(): void {
    const offset = Math.max(0, this.#first - MARGIN);
    if (this.#inflight) { this.#again = offset; return; }
    this.#inflight = true;
    const q = { ...$state.snapshot(this.query), offset, limit: Math.min(MAX_PAGE, this.#last - this.#first + 2 * MARGIN), select: this.selected };
    this.bridge.queryConnections(q).then((p) => { this.page = p; this.error = null; }, (e: Error) => { this.error = e.message; })
      .finally(() => {
        this.#inflight = false;
        if (this.#again !== null) { this.#again = null; this.fetch(); }
      });
  }

  /**
   * Whether the page answers the current filter and sort. Right after a change it does not: its rows are
   * shown as "…" (never rows in the wrong order) and the grid says it is busy until the answer arrives.
   */
  fresh = $derived(this.page !== null && sameQuery(this.page.query, this.query));

  /**
   * Where the selected connection stands in the current order: a number, null when it closed or the
   * filter hides it, undefined while no answer about this selection has come yet.
   */
  selectedIndex = $derived.by((): number | null | undefined => {
    const p = this.page;
    if (!p || !this.fresh || !this.selected) return undefined;
    return sameConnection(p.query.select ?? null, this.selected) ? p.selectedIndex : undefined;
  });

  /** Row `i` of the filtered list, when the current page holds it. */
  row(i: number) {
    const p = this.page;
    return p && this.fresh ? p.rows[i - p.query.offset] : undefined;
  }
}

/** Same filter and sort (the window, offset and limit, may differ). */
function sameQuery(a: ConnectionQuery, b: ConnectionQuery): boolean {
  return a.text === b.text && a.pid === b.pid && a.state === b.state && a.protocol === b.protocol && a.port === b.port
    && a.sort === b.sort && a.descending === b.descending;
}
