// `npm run train -- --config pipelines/train-….yaml [--backend NAME] [--resume | --calibrate [--val DIR]]` (flags:
// commands/train.ts): trains the Interaction Network on graph files; checkpoints under the config's outputDir.
// --calibrate only re-picks the working threshold of <outputDir>/best on the validation graphs (the config's valDir,
// or DIR).
import { InputError } from '../core/errors.ts';
import type { BackendChoice } from '../gnn/backend-names.ts';
import { runCalibrateStage, runTrainStage } from '../gnn/stage.ts';

export interface TrainFlags {
  config: string;
  backend?: BackendChoice;
  resume: boolean;
  calibrate: boolean;
  val?: string;
}

export async function trainCommand(flags: TrainFlags): Promise<void> {
  if (flags.val !== undefined && !flags.calibrate) throw new InputError(undefined, undefined, '--val goes with --calibrate');
  if (flags.calibrate) {
    if (flags.resume) throw new InputError(undefined, undefined, '--calibrate and --resume exclude each other');
    const c = await runCalibrateStage({ configFile: flags.config, backend: flags.backend, valDir: flags.val });
    process.stdout.write(
      `threshold ${c.threshold} on ${c.events} validation graphs → ${c.modelDir}/model.json: eff(pT>1) ${c.efficiencyPt1.toFixed(4)}, ` +
        `purity ${c.purity.toFixed(4)}, purity(pT>1) ${c.purityPt1.toFixed(4)}\n`,
    );
    return;
  }
  const r = await runTrainStage({ configFile: flags.config, backend: flags.backend, resume: flags.resume });
  const b = r.best;
  process.stdout.write(
    `trained ${r.epochs} epochs on ${r.backend} (${r.parameters} parameters) → ${r.outputDir}/best` +
      (b ? `: val AUC ${b.auc.toFixed(4)}, eff(pT>1) ${b.efficiencyPt1.toFixed(4)}, purity ${b.purity.toFixed(4)}` : '') +
      '\n',
  );
}
