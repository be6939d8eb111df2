// Which table columns fit a width. Columns carry a priority (1 = shown first) and the least width, in
// CSS px, at which their usual content still reads; a narrow table drops the lowest priorities first,
// so at the popover's 360 px the Connections table keeps who, where, state and rates. What a dropped
// column held stays in the selected row's detail.

export interface Column<K extends string = string> {
  key: K;
  /** 1 is kept longest. */
  priority: number;
  /** Least width in px. */
  minPx: number;
  /** Share of the width left over once every shown column has its least width. */
  grow: number;
}

/**
 * The columns that fit `widthPx`, in their given (display) order: taken by priority while their least
 * widths add up to no more than the width; the first that does not fit ends the choice, so a wide
 * low-priority column never pushes out a narrow high-priority one. The first priority always shows.
 */
export function fitColumns<C extends Column>(cols: readonly C[], widthPx: number): C[] {
  const byPriority = [...cols].sort((a, b) => a.priority - b.priority);
  const keep = new Set<C>();
  let used = 0;
  for (const c of byPriority) {
    if (keep.size > 0 && used + c.minPx > widthPx) break;
    keep.add(c);
    used += c.minPx;
  }
  return cols.filter((c) => keep.has(c));
}

/** `grid-template-columns` for the shown columns: each at least its width, the rest shared by `grow`. */
export const gridTemplate = (cols: readonly Column[]): string =>
  cols.map((c) => `minmax(${c.minPx}px, ${c.grow}fr)`).join(' ');
