// What the user did about alerts (acknowledged, snoozed), as pure updates of the marks the host keeps
// with the settings (AlertMarksSchema in settings.ts: why they live there). Every update drops expired
// snoozes and keeps the lists within their bounds, so the settings file never grows without end.
import { MAX_ACKED, MAX_SNOOZED, type AlertMarks } from './settings.ts';

/** Snooze lengths offered, ms. */
export const SNOOZE_CHOICES = [
  { label: '15 minutes', ms: 15 * 60_000 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '8 hours', ms: 8 * 3_600_000 },
] as const;

/** Until when the condition `key` is snoozed (epoch ms), or null. */
export function snoozedUntil(m: AlertMarks, key: string, now: number): number | null {
  const s = m.snoozed.find((x) => x.key === key && x.untilTs > now);
  return s ? s.untilTs : null;
}

export const isAcknowledged = (m: AlertMarks, id: string): boolean => m.acknowledged.includes(id);

const live = (m: AlertMarks, now: number) => m.snoozed.filter((x) => x.untilTs > now);

/** `id` acknowledged (newest last; the oldest fall off beyond MAX_ACKED). */
export function acknowledge(m: AlertMarks, id: string, now: number): AlertMarks {
  const acked = [...m.acknowledged.filter((x) => x !== id), id].slice(-MAX_ACKED);
  return { acknowledged: acked, snoozed: live(m, now) };
}

export function unacknowledge(m: AlertMarks, id: string, now: number): AlertMarks {
  return { acknowledged: m.acknowledged.filter((x) => x !== id), snoozed: live(m, now) };
}

/** The condition `key` snoozed for `ms` from now: alerts of it (this one and any raised again) are set aside. */
export function snooze(m: AlertMarks, key: string, ms: number, now: number): AlertMarks {
  const rest = live(m, now).filter((x) => x.key !== key);
  return { acknowledged: m.acknowledged, snoozed: [...rest, { key, untilTs: now + ms }].slice(-MAX_SNOOZED) };
}

export function unsnooze(m: AlertMarks, key: string, now: number): AlertMarks {
  return { acknowledged: m.acknowledged, snoozed: live(m, now).filter((x) => x.key !== key) };
}
