// `--port-set NAME=PORT/PROTO,…` (watch, record, exporter; repeatable): the engine config's portSets on
// the command line, so a headless engine accounts ports apart (the `service` records, usage by service)
// as Settings' accounted ports do under serve and the app. PROTO is tcp, udp, or both when left out.
// Sample: --port-set hostd=9981/tcp,9984/udp --port-set web=443
import { PortSetSchema, issuesText, type PortSet } from '../../shared/index.ts';

/** At most this many sets (the engine config's limit). */
export const MAX_PORT_SETS = 16;

/** The sets these flags name, or an error saying which part is wrong. */
export function parsePortSets(flags: readonly string[]): { ok: true; sets: PortSet[] } | { ok: false; error: string } {
  if (flags.length > MAX_PORT_SETS) return { ok: false, error: `--port-set: at most ${MAX_PORT_SETS} sets` };
  const sets: PortSet[] = [];
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = flag.slice(0, eq).trim();
    if (eq < 1 || name === '') return { ok: false, error: `--port-set ${flag}: give NAME=PORT[/tcp|/udp],…` };
    if (sets.some((s) => s.name === name)) return { ok: false, error: `--port-set: ${name} given twice` };
    const ports: PortSet['ports'] = [];
    for (const part of flag.slice(eq + 1).split(',')) {
      const m = /^\s*(\d{1,5})(?:\/(tcp|udp))?\s*$/i.exec(part);
      if (!m) return { ok: false, error: `--port-set ${name}: '${part}' is not PORT, PORT/tcp or PORT/udp` };
      const port = Number(m[1]);
      if (port < 1 || port > 65535) return { ok: false, error: `--port-set ${name}: ${port} is not a port (1–65535)` };
      for (const protocol of m[2] ? [m[2].toLowerCase() as 'tcp' | 'udp'] : (['tcp', 'udp'] as const)) {
        if (!ports.some((p) => p.port === port && p.protocol === protocol)) ports.push({ port, protocol });
      }
    }
    const r = PortSetSchema.safeParse({ name, ports });
    if (!r.success) return { ok: false, error: `--port-set ${name}: ${issuesText(r.error)}` };
    sets.push(r.data);
  }
  return { ok: true, sets };
}
