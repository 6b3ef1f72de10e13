// `npm run stage:infer`: graph files → edge scores from the Interaction Network (implementation: ../infer.ts).
import { ENGINE_CHOICES } from '../../gnn/backend-names.ts';
import { defineCommand } from '../command.ts';
import { SHARD_FLAG } from '../shard-flag.ts';

export default defineCommand({
  name: 'stage:infer',
  summary:
    'Edge scores as a stage: each graph in --input (from stage:graphs) gets <event>-edge-scores.arrow in --output ' +
    'from a saved Interaction Network; efficiency and purity go into the provenance when the graphs carry truth.',
  flags: {
    input: { type: 'string', value: 'DIR', required: true, description: 'folder of graph files', example: 'trackml-data/generated/graphs' },
    output: {
      type: 'string',
      value: 'DIR',
      required: true,
      description: 'folder for the edge-score files',
      example: 'trackml-data/generated/scores',
    },
    model: {
      type: 'string',
      value: 'PATH',
      required: true,
      description: 'model folder (model.json + weights)',
      example: 'trackml-data/model',
    },
    backend: {
      type: 'string',
      value: 'NAME',
      choices: ENGINE_CHOICES,
      default: 'auto',
      description: 'inference engine: ONNX Runtime on the CPU (ort-cpu) or a tfjs backend (auto: the order measured in src/gnn/engine.ts)',
      example: 'ort-cpu',
    },
    limit: { type: 'integer', value: 'N', min: 1, description: 'only the first N graphs', defaultText: 'all', example: '2' },
    'chunk-edges': {
      type: 'integer',
      value: 'N',
      min: 1,
      description: 'score at most N edges at a time (bounds memory)',
      defaultText: 'the whole graph at once',
      example: '100000',
    },
    threshold: {
      type: 'number',
      value: 'T',
      min: 0,
      max: 1,
      description: 'working threshold for the metrics in provenance',
      defaultText: "the model's calibrated threshold",
      example: '0.5',
    },
    shard: SHARD_FLAG,
  },
  examples: [
    'npm run stage:infer -- --input trackml-data/generated/graphs --output trackml-data/generated/scores --model trackml-data/model',
    'npm run stage:infer -- --input graphs --output scores --model trackml-data/model --backend wasm --limit 1',
  ],
  run: async (args) => (await import('../infer.ts')).inferCommand(args),
});
