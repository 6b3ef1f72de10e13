// `npm run simulate -- --output DIR --events N --seed S [--pileup MU] [--detectors PATH] [--first-event K]
// [--format csv|csv.gz]`: simulates N TrackML events (numbered K … K+N−1) and writes each event's four files
// into DIR (with a per-event record and provenance); progress on stderr. Event k depends only on (seed, k), so runs
// can be split and stay identical, and a killed run resumes where it stopped.
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { simulateConfigSchema } from '../simulate/config.ts';
import { simulateEvents } from '../simulate/stage.ts';
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
  const t0 = performance.now();
  const r = simulateEvents({ output, events, seed, firstEvent, gzip: format === 'csv.gz', detectors: values.detectors, simulate: config });
  process.stderr.write(
    `simulate: ${r.events} event(s) in ${output} (${r.computed} simulated, ${r.events - r.computed} up to date) in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s, ${Math.round(r.hits / Math.max(r.events, 1))} hits per event\n`,
  );
});
