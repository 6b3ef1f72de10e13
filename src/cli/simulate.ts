// `npm run simulate -- --output DIR --events N --seed S [--pileup MU] [--detectors PATH] [--first-event K]
// [--format csv|csv.gz]` (flags: commands/simulate.ts): simulates N TrackML events (numbered K … K+N−1) and writes
// each event's four files into DIR; progress on stderr. Event k depends only on (seed, k), so runs can be split and
// stay identical.
import { mkdirSync } from 'node:fs';
import { InputError } from '../core/errors.ts';
import { buildDetectorIndex, loadDetector } from '../geometry/index.ts';
import { simulateConfigSchema } from '../simulate/config.ts';
import { simulateEvent } from '../simulate/simulate-event.ts';
import { writeEvent } from '../trackml/index.ts';

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

  const detector = buildDetectorIndex(loadDetector(values.detectors));
  try {
    mkdirSync(output, { recursive: true });
  } catch (err) {
    throw new InputError(output, undefined, `cannot create output directory: ${(err as Error).message}`);
  }

  const t0 = performance.now();
  let totalHits = 0;
  let simMs = 0;
  let writeMs = 0;
  for (let k = 0; k < events; k++) {
    const eventNumber = firstEvent + k;
    const ts = performance.now();
    const event = simulateEvent(detector, config, seed, eventNumber);
    const tw = performance.now();
    writeEvent(output, event, { gzip: format === 'csv.gz' });
    const te = performance.now();
    simMs += tw - ts;
    writeMs += te - tw;
    const nHits = event.hits.hitId.length;
    totalHits += nHits;
    process.stderr.write(
      `simulate: ${k + 1}/${events} ${event.eventId}: ${nHits} hits, ${event.particles.particleId.length} particles ` +
        `(simulate ${((tw - ts) / 1000).toFixed(2)} s, write ${((te - tw) / 1000).toFixed(2)} s; ` +
        `${Math.round(totalHits / ((te - t0) / 1000))} hits/s overall)\n`,
    );
  }
  process.stderr.write(
    `simulate: wrote ${events} event(s) to ${output} in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
      `(simulation ${(simMs / 1000).toFixed(1)} s, writing ${(writeMs / 1000).toFixed(1)} s)\n`,
  );
}
