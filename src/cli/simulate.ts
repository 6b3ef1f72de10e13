// `npm run simulate -- --output DIR --events N --seed S [--pileup MU] [--detectors PATH] [--first-event K]
// [--format csv|csv.gz]` (flags: commands/simulate.ts): simulates N TrackML events (numbered K … K+N−1) and writes
// each event's four files into DIR (with a per-event record and provenance); progress on stderr. Event k depends
// only on (seed, k), so runs can be split and stay identical, and a killed run resumes where it stopped.
import { InputError } from '../core/errors.ts';
import { simulateConfigSchema } from '../simulate/config.ts';
import { simulateEvents } from '../simulate/stage.ts';

export interface SimulateFlags {
  output: string;
  events: number;
  seed: number;
  pileup?: number;
  detectors?: string;
  'first-event': number;
  format: 'csv' | 'csv.gz';
}

export function simulateCommand(values: SimulateFlags): void {
  const { output, events, seed, pileup, format } = values;
  const firstEvent = values['first-event'];
  if (firstEvent + events - 1 > 999_999_999) throw new InputError(undefined, undefined, '--first-event + --events exceeds event999999999');
  const config = simulateConfigSchema.parse(pileup === undefined ? {} : { pileup });
  const t0 = performance.now();
  const r = simulateEvents({ output, events, seed, firstEvent, gzip: format === 'csv.gz', detectors: values.detectors, simulate: config });
  process.stderr.write(
    `simulate: ${r.events} event(s) in ${output} (${r.computed} simulated, ${r.events - r.computed} up to date) in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s, ${Math.round(r.hits / Math.max(r.events, 1))} hits per event\n`,
  );
}
