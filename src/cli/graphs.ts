// `npm run stage:graphs -- --input DIR --output DIR [--config FILE] [--limit N]`: events → graph files.
// `npm run stage:graphs -- module-map (--input DIR | --simulate N [--seed S]) --output FILE [--config FILE] [--limit N]`:
// learn a module map from events on disk or from N events simulated in memory.
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { runGraphStage, runModuleMapStage } from '../graph/stage.ts';
import { runCli } from './run-cli.ts';

const USAGE =
  'usage: stage:graphs --input DIR --output DIR [--config pipelines/graphs-….yaml] [--limit N]\n' +
  '       stage:graphs module-map (--input DIR | --simulate N [--seed S]) --output FILE [--config …] [--limit N]';

runCli(() => {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      allowPositionals: true,
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        config: { type: 'string' },
        limit: { type: 'string' },
        simulate: { type: 'string' },
        seed: { type: 'string' },
      },
    });
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== 'module-map'))
    throw new InputError(undefined, undefined, `unexpected argument ${positionals.join(' ')}; ${USAGE}`);
  const learnMap = positionals[0] === 'module-map';
  const simulated = learnMap && values.simulate !== undefined;
  if (simulated && values.input !== undefined) throw new InputError(undefined, undefined, `give --input or --simulate, not both; ${USAGE}`);
  if ((!simulated && values.input === undefined) || values.output === undefined)
    throw new InputError(undefined, undefined, `${learnMap ? '--input (or --simulate)' : '--input'} and --output are required; ${USAGE}`);
  if (!learnMap && (values.simulate !== undefined || values.seed !== undefined))
    throw new InputError(undefined, undefined, `--simulate and --seed belong to module-map; ${USAGE}`);
  const positiveInt = (flag: string, text: string | undefined, min = 1): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new InputError(undefined, undefined, `--${flag} must be an integer ≥ ${min}, got ${text}`);
    return n;
  };
  const limit = positiveInt('limit', values.limit);
  if (learnMap) {
    const simulate = simulated ? { events: positiveInt('simulate', values.simulate)!, seed: positiveInt('seed', values.seed, 0) ?? 1 } : undefined;
    const r = runModuleMapStage({ inputDir: values.input, simulate, outputFile: values.output, configFile: values.config, limit });
    process.stdout.write(`${r.kind}: ${r.entries} ${r.kind === 'ring map' ? 'ring' : 'module'} pairs from ${r.segments} segments of ${r.events} events → ${values.output}\n`);
  } else {
    const r = runGraphStage({ inputDir: values.input!, outputDir: values.output, configFile: values.config, limit });
    process.stdout.write(`graphs: ${r.events} events → ${values.output}\n`);
  }
});
