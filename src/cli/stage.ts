// `npm run stage:simulate|stage:tracks|stage:score -- --config pipelines/X.yaml [--input DIR] [--output DIR]`: one stage on
// directories (see src/pipeline/stages.ts); --input/--output override the config's input (tracks: events;
// score: submissions) and output directories.
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { runScoreStage, runSimulateStage, runTracksStage } from '../pipeline/stages.ts';
import { trackingRates } from '../tracks/index.ts';
import { runCli } from './run-cli.ts';

const USAGE = 'usage: stage:simulate|stage:tracks|stage:score -- --config FILE [--input DIR] [--output DIR]';

runCli(() => {
  const stage = process.argv[2];
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(3).filter((a) => a !== '--'),
      options: { config: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; ${USAGE}`);
  }
  if (stage === 'simulate') {
    const r = runSimulateStage(values.config, { output: values.output });
    process.stdout.write(`simulate: ${r.events} events, ${r.computed} simulated, ${r.events - r.computed} up to date\n`);
  } else if (stage === 'tracks') {
    const r = runTracksStage(values.config, { input: values.input, output: values.output });
    process.stdout.write(`tracks: ${r.events} events, ${r.computed} computed, ${r.events - r.computed} up to date\n`);
  } else if (stage === 'score') {
    const r = runScoreStage(values.config, { input: values.input, output: values.output });
    const pt1 = trackingRates(r.counts).find((x) => x.ptBin === '> 1')!;
    process.stdout.write(`score: ${r.events} events, mean TrackML score ${r.meanScore.toFixed(4)}; pT > 1 GeV: efficiency ${pt1.efficiency.toFixed(4)}, fake rate ${pt1.fakeRate.toFixed(4)}, duplicate rate ${pt1.duplicateRate.toFixed(4)}\n`);
  } else {
    throw new InputError(undefined, undefined, `unknown stage "${stage ?? ''}"; ${USAGE}`);
  }
});
