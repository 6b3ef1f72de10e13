// `npm run simulate -- --output DIR --events N --seed S [--pileup MU] [--detectors PATH] [--first-event K]
// [--format csv|csv.gz]`: simulates N TrackML events (numbered K … K+N−1) and writes each event's four files
// into DIR; progress on stderr. Event k depends only on (seed, k), so runs can be split and stay identical.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { buildDetectorIndex, loadDetector } from '../geometry/index.ts';
import { simulateConfigSchema } from '../simulate/config.ts';
import { simulateEvent } from '../simulate/simulate-event.ts';
import { writeEvent } from '../trackml/index.ts';
import { runCli } from './run-cli.ts';

const USAGE =
  'usage: simulate --output DIR --events N --seed S [--pileup MU] [--detectors PATH] [--first-event K] [--format csv|csv.gz]';

function integerFlag(name: string, text: string | undefined, min: number, max: number, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new InputError(undefined, undefined, `--${name} is required; ${USAGE}`);
    return fallback;
  }
  const v = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new InputError(undefined, undefined, `--${name} must be an integer in ${min}..${max}, got "${text}"`);
  }
  return v;
}

runCli(() => {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        output: { type: 'string' },
        events: { type: 'string' },
        seed: { type: 'string' },
        pileup: { type: 'string' },
        detectors: { type: 'string' },
        'first-event': { type: 'string' },
        format: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    // Node's parseArgs messages can span lines; the CLI contract is one line.
    throw new InputError(undefined, undefined, `${(err as Error).message.replace(/\s*\n\s*/g, ' ')}; ${USAGE}`);
  }
  const output = values.output;
  if (output === undefined || output === '') throw new InputError(undefined, undefined, `--output is required; ${USAGE}`);
  const events = integerFlag('events', values.events, 1, 1_000_000);
  const seed = integerFlag('seed', values.seed, 0, 2 ** 32 - 1);
  const firstEvent = integerFlag('first-event', values['first-event'], 0, 999_999_999, 0);
  if (firstEvent + events - 1 > 999_999_999) throw new InputError(undefined, undefined, '--first-event + --events exceeds event999999999');
  const format = values.format ?? 'csv.gz';
  if (format !== 'csv' && format !== 'csv.gz') throw new InputError(undefined, undefined, `--format must be csv or csv.gz, got "${format}"`);
  let pileup: number | undefined;
  if (values.pileup !== undefined) {
    pileup = Number(values.pileup);
    if (values.pileup.trim() === '' || !Number.isFinite(pileup) || pileup < 0 || pileup > 4000) {
      throw new InputError(undefined, undefined, `--pileup must be a number in 0..4000, got "${values.pileup}"`);
    }
  }
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
});
