// `npm run pipeline -- --input DIR --output DIR [--config FILE] [--limit N] [--save-graphs]`: every event of DIR
// through read → graph → GNN → tracks → submission (+ score with truth), report.json and report.html; resumable.
// --save-graphs keeps each event's graph and edge scores beside its submission for the viewer (config: saveGraphs).
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { formatSummary, runPipeline } from '../pipeline/run-pipeline.ts';
import { runCli } from './run-cli.ts';

const USAGE = 'usage: npm run pipeline -- --input DIR --output DIR [--config pipelines/pipeline-X.yaml] [--limit N] [--save-graphs]';

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: { input: { type: 'string' }, output: { type: 'string' }, config: { type: 'string' }, limit: { type: 'string' }, 'save-graphs': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; ${USAGE}`);
  }
  if (values.input === undefined || values.output === undefined) throw new InputError(undefined, undefined, `--input and --output are required; ${USAGE}`);
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || limit < 1) throw new InputError(undefined, undefined, `--limit must be a positive integer, got "${values.limit}"`);
  }
  const s = await runPipeline({ inputDir: values.input, outputDir: values.output, configFile: values.config, limit, saveGraphs: values['save-graphs'] });
  process.stdout.write(formatSummary(s) + '\n');
});
