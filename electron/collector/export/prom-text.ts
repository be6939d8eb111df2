// Prometheus text exposition format 0.0.4 (what `promtool check metrics` reads): families with HELP and
// TYPE, label values escaped. Label values here include process and interface names, which anyone who
// can start a process chooses: escaping keeps a name with a quote or a newline from forging a series.
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Record<string, string>;
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** `\` `"` and line feed are the three characters the format escapes in a label value. */
export const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** A sample value: Go's float syntax (NaN, +Inf) and integers without an exponent up to 2^53. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

const labelText = (l: Labels): string => {
  const keys = Object.keys(l);
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escapeLabel(l[k]!)}"`).join(',')}}`;
};

/** Collects families in order; each family's samples follow its HELP and TYPE lines. */
export class Exposition {
  #out: string[] = [];
  #series = 0;

  family(name: string, type: MetricType, help: string, samples: ReadonlyArray<readonly [Labels, number]>): void {
    if (samples.length === 0) return;
    this.#out.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) this.#out.push(`${name}${labelText(l)} ${formatValue(v)}`);
    this.#series += samples.length;
  }

  /** One sample without labels. */
  single(name: string, type: MetricType, help: string, v: number | null): void {
    if (v !== null) this.family(name, type, help, [[{}, v]]);
  }

  histogram(name: string, help: string, h: Histogram, labels: Labels = {}): void {
    this.#out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    let cum = 0;
    h.bounds.forEach((le, i) => {
      cum += h.counts[i]!;
      this.#out.push(`${name}_bucket${labelText({ ...labels, le: formatValue(le) })} ${cum}`);
    });
    this.#out.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${h.count}`);
    this.#out.push(`${name}_sum${labelText(labels)} ${formatValue(h.sum)}`, `${name}_count${labelText(labels)} ${h.count}`);
    this.#series += h.bounds.length + 3;
  }

  get series(): number { return this.#series; }
  text(): string { return this.#out.join('\n') + '\n'; }
}

/** A cumulative histogram: `counts[i]` observations in (bounds[i-1], bounds[i]]; the rest above the last. */
export class Histogram {
  readonly bounds: readonly number[];
  readonly counts: number[];
  count = 0;
  sum = 0;
  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = bounds.map(() => 0);
  }
  observe(v: number): void {
    const i = this.bounds.findIndex((b) => v <= b);
    if (i >= 0) this.counts[i]!++;
    this.count++;
    this.sum += v;
  }
}

/**
 * A Prometheus counter fed from a reading that may go back (an interface recreated, the engine
 * restarted, a process gone from an app): only increases count, so the counter never goes down and
 * rate() never sees a phantom reset. The first reading sets the base: what came before is not counted.
 */
export class Accumulator {
  #prev = new Map<string, number>();
  total = 0;
  /** Adds what `key` gained since its last reading; keys not read in `keep()`'s set are forgotten. */
  add(key: string, reading: number): number {
    const p = this.#prev.get(key);
    this.#prev.set(key, reading);
    const d = p === undefined || reading < p ? 0 : reading - p;
    this.total += d;
    return d;
  }
  /** Forgets the keys not in `live` (bounded memory: only what the last reading held). */
  keep(live: ReadonlySet<string>): void {
    for (const k of this.#prev.keys()) if (!live.has(k)) this.#prev.delete(k);
  }
}
