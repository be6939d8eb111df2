// Where the popover opens: under the tray icon on macOS; on Linux, where tray bounds are all zero
// (StatusNotifierItem gives none), near the cursor — always inside the work area of that display.

export interface Rect { x: number; y: number; width: number; height: number }
export interface DisplayArea { bounds: Rect; workArea: Rect }
export interface PlaceInput {
  platform: 'darwin' | 'linux' | 'win32';
  trayBounds: Rect;
  cursor: { x: number; y: number };
  displays: DisplayArea[];
  size: { width: number; height: number };
}

const GAP = 4;
const contains = (r: Rect, p: { x: number; y: number }) => p.x >= r.x && p.x < r.x + r.width && p.y >= r.y && p.y < r.y + r.height;
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(v, hi));

/** The display holding the point, else the nearest one (points between displays happen). */
export function displayFor(p: { x: number; y: number }, displays: DisplayArea[]): DisplayArea {
  const hit = displays.find((d) => contains(d.bounds, p));
  if (hit) return hit;
  const dist = (d: DisplayArea) => {
    const dx = clamp(p.x, d.bounds.x, d.bounds.x + d.bounds.width) - p.x;
    const dy = clamp(p.y, d.bounds.y, d.bounds.y + d.bounds.height) - p.y;
    return dx * dx + dy * dy;
  };
  return displays.reduce((a, b) => (dist(b) < dist(a) ? b : a));
}

export function placePopover(i: PlaceInput): { x: number; y: number } {
  const hasTray = i.trayBounds.width > 0 && i.trayBounds.height > 0;
  const anchor = hasTray
    ? { x: i.trayBounds.x + i.trayBounds.width / 2, y: i.trayBounds.y + i.trayBounds.height / 2 }
    : i.cursor;
  const wa = displayFor(anchor, i.displays).workArea;
  const { width: w, height: h } = i.size;
  let x = anchor.x - w / 2;
  let y: number;
  if (hasTray) {
    // Below a tray at the top of the screen (macOS menu bar), above one at the bottom (Windows, some Linux panels).
    const trayAtTop = anchor.y < wa.y + wa.height / 2;
    y = trayAtTop ? i.trayBounds.y + i.trayBounds.height + GAP : i.trayBounds.y - h - GAP;
  } else {
    // The cursor is on the panel that was clicked: open away from that edge.
    y = anchor.y < wa.y + wa.height / 2 ? anchor.y + GAP : anchor.y - h - GAP;
  }
  x = clamp(x, wa.x, wa.x + wa.width - w);
  y = clamp(y, wa.y, wa.y + wa.height - h);
  return { x: Math.round(x), y: Math.round(y) };
}
