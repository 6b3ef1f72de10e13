// `npm run train -- --config pipelines/train-….yaml [--backend auto|tfjs-node-gpu|tfjs-node|webgpu|wasm|cpu]
// [--resume | --calibrate [--val DIR]]`: trains the Interaction Network on graph files; checkpoints under the config's
// outputDir. --calibrate only re-picks the working threshold of <outputDir>/best on the validation graphs (the
// config's valDir, or DIR).
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { BACKENDS, type BackendChoice } from '../gnn/backend.ts';
import { runCalibrateStage, runTrainStage } from '../gnn/stage.ts';
import { runCli } from './run-cli.ts';

const USAGE = `usage: train --config pipelines/train-….yaml [--backend auto|${BACKENDS.join('|')}] [--resume | --calibrate [--val DIR]]`;

function parseBackend(text: string | undefined): BackendChoice | undefined {
  if (text === undefined) return undefined;
  if (text !== 'auto' && !(BACKENDS as readonly string[]).includes(text))
    throw new InputError(undefined, undefined, `--backend must be auto or one of ${BACKENDS.join(', ')}, got "${text}"`);
  return text as BackendChoice;
}

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: { config: { type: 'string' }, backend: { type: 'string' }, resume: { type: 'boolean' }, calibrate: { type: 'boolean' }, val: { type: 'string' } },
    }));
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; ${USAGE}`);
  }
  if (values.config === undefined) throw new InputError(undefined, undefined, `--config is required; ${USAGE}`);
  if (values.val !== undefined && !values.calibrate) throw new InputError(undefined, undefined, `--val goes with --calibrate; ${USAGE}`);
  if (values.calibrate) {
    if (values.resume) throw new InputError(undefined, undefined, `--calibrate and --resume exclude each other; ${USAGE}`);
    const c = await runCalibrateStage({ configFile: values.config, backend: parseBackend(values.backend), valDir: values.val });
    process.stdout.write(
      `threshold ${c.threshold} on ${c.events} validation graphs → ${c.modelDir}/model.json: eff(pT>1) ${c.efficiencyPt1.toFixed(4)}, ` +
        `purity ${c.purity.toFixed(4)}, purity(pT>1) ${c.purityPt1.toFixed(4)}\n`,
    );
    return;
  }
  const r = await runTrainStage({ configFile: values.config, backend: parseBackend(values.backend), resume: values.resume });
  const b = r.best;
  process.stdout.write(
    `trained ${r.epochs} epochs on ${r.backend} (${r.parameters} parameters) → ${r.outputDir}/best` +
      (b ? `: val AUC ${b.auc.toFixed(4)}, eff(pT>1) ${b.efficiencyPt1.toFixed(4)}, purity ${b.purity.toFixed(4)}` : '') +
      '\n',
  );
});
