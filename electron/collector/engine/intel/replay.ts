// Replays a recording (events.ts, one event per line) through an intelligence tier on an injected clock:
// events go in batches of one report interval of their own time, as the capture tier would hand them
// over; the tier's tick runs every INTEL_TICK_MS of that time; alerts go to an AlertStore as the engine
// applies them. The clock is the events' (ms), so ten recorded minutes replay in milliseconds.
import type { Alert } from '../../../../shared/index.ts';
import type { AlertStore, Trigger } from '../alerts.ts';
import type { IntelEvent, RateEvent } from './events.ts';
import { INTEL_TICK_MS, type IntelTier } from './intel-tier.ts';

export interface ReplayOptions {
  /** Batch length, ms of event time (the capture tier's report interval). */
  reportMs?: number;
  /** Other detectors fed the batch's rates (the bandwidth detector), their triggers applied alongside. */
  rates?: (rates: RateEvent[], now: number) => Trigger[];
  /** Called with the clock after each batch (tests read sizes or config there). */
  after?: (now: number) => void;
}

/** Every alert raised during the replay, in order. */
export function replay(events: readonly IntelEvent[], tier: IntelTier, store: AlertStore, o: ReplayOptions = {}): Alert[] {
  const step = o.reportMs ?? 1000;
  const raised: Alert[] = [];
  if (events.length === 0) return raised;
  let end = events[0]!.ts + step, nextTick = events[0]!.ts + INTEL_TICK_MS;
  let batch: IntelEvent[] = [];
  const flush = (now: number) => {
    tier.ingest(batch);
    const rates = batch.filter((e): e is RateEvent => e.kind === 'rate');
    raised.push(...store.apply([...(o.rates?.(rates, now) ?? []), ...tier.take()], now));
    batch = [];
    if (now >= nextTick) { tier.tick(now); nextTick = now + INTEL_TICK_MS; }
    o.after?.(now);
  };
  for (const e of events) {
    while (e.ts >= end) { flush(end); end += step; }
    batch.push(e);
  }
  flush(end);
  return raised;
}
