// `npm run export -- --to kaggle|phoenix|pyg --input <pipeline output> [--output PATH]`: the pipeline's results for
// other tools — Kaggle's combined submission, Phoenix event-data JSON (tracks with parameters, truth particles),
// or acorn-readable PyTorch Geometric files (needs graphs kept with --save-graphs).
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { EXPORT_FORMATS, runExport, type ExportFormat } from '../interop/export.ts';
import { runCli } from './run-cli.ts';

const USAGE = 'usage: npm run export -- --to kaggle|phoenix|pyg --input <pipeline output dir> [--output PATH]';

runCli(() => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: { to: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message.split('\n')[0]}; ${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n  --to      kaggle: one event_id,hit_id,track_id CSV (default <input>/submission-combined.csv)\n            phoenix: Phoenix event-data JSON (default <input>/phoenix.json)\n            pyg: <input>/pyg/eventN-graph.pyg, torch.save'd PyG Data objects with acorn's field names\n  --input   a pipeline output folder (npm run pipeline / npm start)\n  --output  file or folder to write instead of the default\n`);
    return;
  }
  const to = values.to as string | undefined;
  if (!to || !(EXPORT_FORMATS as readonly string[]).includes(to)) throw new InputError(undefined, undefined, `--to must be one of ${EXPORT_FORMATS.join(', ')}; ${USAGE}`);
  if (typeof values.input !== 'string') throw new InputError(undefined, undefined, `--input is required; ${USAGE}`);
  const r = runExport({ to: to as ExportFormat, input: values.input, output: values.output as string | undefined });
  process.stdout.write(`export ${to}: ${r.events} event(s) → ${r.output}\n`);
});
