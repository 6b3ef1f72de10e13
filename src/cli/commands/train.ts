// `npm run train`: trains (or calibrates) the Interaction Network (implementation: ../train.ts).
import { BACKEND_CHOICES } from '../../gnn/backend-names.ts';
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'train',
  summary:
    'Trains the Interaction Network on graph files as the config says (initFrom: fine-tunes a saved model); ' +
    "checkpoints with config, metrics and provenance under the config's outputDir, then picks the working threshold " +
    'on the validation graphs. --calibrate only re-picks that threshold.',
  flags: {
    config: {
      type: 'string',
      value: 'FILE',
      required: true,
      description: 'training config (keys: src/gnn/config.ts)',
      example: 'pipelines/train-pixel-mm-triplets.yaml',
    },
    backend: {
      type: 'string',
      value: 'NAME',
      choices: BACKEND_CHOICES,
      description: 'tfjs backend',
      defaultText: "the config's backend (auto)",
      example: 'wasm',
    },
    resume: { type: 'boolean', description: 'continue from <outputDir>/last', example: 'resume' },
    calibrate: { type: 'boolean', description: 'only re-pick the working threshold of <outputDir>/best', example: 'calibrate' },
    val: {
      type: 'string',
      value: 'DIR',
      description: 'with --calibrate: validation graphs to calibrate on',
      defaultText: "the config's valDir",
      example: 'trackml-data/generated/val-graphs',
    },
  },
  examples: [
    'npm run train -- --config pipelines/train-pixel-mm-triplets.yaml',
    'npm run train -- --config pipelines/train-pixel-mm-triplets.yaml --resume',
    'npm run train -- --config pipelines/train-pixel-mm-triplets.yaml --calibrate --val trackml-data/generated/val-graphs',
  ],
  run: async (args) => (await import('../train.ts')).trainCommand(args),
});
