// `npm start`: the main job on the embedded default (implementation: ../main.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'start',
  summary:
    'The main job: simulate the configured full-pileup events (cached by config and code version), run the tracking ' +
    'pipeline with the shipped GNN on them, print the TrackML score, tracking metrics and per-stage times. Outputs, ' +
    "report and provenance go to the config's output folder (runs/default/).",
  flags: {
    config: {
      type: 'string',
      value: 'FILE',
      description: 'main-job config (keys: src/pipeline/main-config.ts)',
      defaultText: 'pipelines/default.yaml when present, else built-in defaults',
      example: 'pipelines/default.yaml',
    },
  },
  examples: ['npm start', 'npm start -- --config pipelines/default.yaml'],
  run: async (args) => (await import('../main.ts')).startCommand(args),
});
