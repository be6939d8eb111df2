// The Usage view's ranges on the local clock: [from, to) with `to` now.
export type Range = 'today' | 'week' | 'month' | '30d';

export function rangeBounds(r: Range, now: number): { from: number; to: number } {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  if (r === 'week') d.setDate(d.getDate() - 6);
  if (r === '30d') d.setDate(d.getDate() - 29);
  if (r === 'month') d.setDate(1);
  return { from: d.getTime(), to: now };
}
