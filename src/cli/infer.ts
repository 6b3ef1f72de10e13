// `npm run stage:infer -- --input DIR --output DIR --model PATH [--backend …] [--limit N] [--chunk-edges N]
// [--threshold T]`: graph files → per-event edge scores (Arrow), with metrics in provenance when graphs have truth.
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { BACKENDS, type BackendChoice } from '../gnn/backend.ts';
import { runInferStage } from '../gnn/stage.ts';
import { runCli } from './run-cli.ts';

const USAGE = `usage: stage:infer --input DIR --output DIR --model PATH [--backend auto|${BACKENDS.join('|')}] [--limit N] [--chunk-edges N] [--threshold T]`;

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(v) || v < 1) throw new InputError(undefined, undefined, `--${name} must be a positive integer, got "${text}"`);
  return v;
}

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        model: { type: 'string' },
        backend: { type: 'string' },
        limit: { type: 'string' },
        'chunk-edges': { type: 'string' },
        threshold: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; ${USAGE}`);
  }
  if (values.input === undefined || values.output === undefined || values.model === undefined)
    throw new InputError(undefined, undefined, `--input, --output and --model are required; ${USAGE}`);
  const backend = values.backend;
  if (backend !== undefined && backend !== 'auto' && !(BACKENDS as readonly string[]).includes(backend))
    throw new InputError(undefined, undefined, `--backend must be auto or one of ${BACKENDS.join(', ')}, got "${backend}"`);
  let threshold: number | undefined;
  if (values.threshold !== undefined) {
    threshold = Number(values.threshold);
    if (!(threshold >= 0 && threshold <= 1)) throw new InputError(undefined, undefined, `--threshold must be in [0, 1], got "${values.threshold}"`);
  }
  const r = await runInferStage({
    inputDir: values.input,
    outputDir: values.output,
    modelPath: values.model,
    backend: backend as BackendChoice | undefined,
    limit: positiveInt('limit', values.limit),
    chunkEdges: positiveInt('chunk-edges', values['chunk-edges']),
    threshold,
  });
  process.stdout.write(`edge scores: ${r.events} events on ${r.backend} → ${values.output} (${r.computed} computed, ${r.events - r.computed} up to date)\n`);
});
