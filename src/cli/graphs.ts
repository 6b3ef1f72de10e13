// `npm run stage:graphs -- --input DIR --output DIR [--config FILE] [--limit N]`: events → graph files.
// `npm run stage:graphs -- module-map --input DIR --output FILE [--config FILE] [--limit N]`: learn a module map.
import { parseArgs } from 'node:util';
import { InputError } from '../errors.ts';
import { runGraphStage, runModuleMapStage } from '../graph/stage.ts';
import { runCli } from './run-cli.ts';

const USAGE =
  'usage: stage:graphs [module-map] --input DIR --output DIR|FILE [--config pipelines/graphs-….yaml] [--limit N]';

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
      },
    });
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== 'module-map'))
    throw new InputError(undefined, undefined, `unexpected argument ${positionals.join(' ')}; ${USAGE}`);
  if (values.input === undefined || values.output === undefined)
    throw new InputError(undefined, undefined, `--input and --output are required; ${USAGE}`);
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new InputError(undefined, undefined, `--limit must be a positive integer, got ${values.limit}`);
  }
  if (positionals[0] === 'module-map') {
    const r = runModuleMapStage({ inputDir: values.input, outputFile: values.output, configFile: values.config, limit });
    process.stdout.write(`module map: ${r.entries} module pairs from ${r.segments} segments of ${r.events} events → ${values.output}\n`);
  } else {
    const r = runGraphStage({ inputDir: values.input, outputDir: values.output, configFile: values.config, limit });
    process.stdout.write(`graphs: ${r.events} events → ${values.output}\n`);
  }
});
