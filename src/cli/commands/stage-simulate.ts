// `npm run stage:simulate`: simulated events as a cached stage (implementation: ../stage.ts).
import { defineCommand } from '../command.ts';
import { SHARD_FLAG } from '../shard-flag.ts';

export default defineCommand({
  name: 'stage:simulate',
  summary:
    'Simulated events as a pipeline stage: the config says how many, which seed and simulator settings; each event ' +
    'is skipped when its files were written for the same config and code, so a stopped run resumes.',
  flags: {
    config: {
      type: 'string',
      value: 'FILE',
      description: 'stage config (keys: simulateStageSchema in src/pipeline/stages.ts)',
      defaultText: 'built-in defaults (then --output is needed)',
      example: 'pipelines/pipeline-simulate-test.yaml',
    },
    output: {
      type: 'string',
      value: 'DIR',
      description: "folder for the events, instead of the config's output",
      defaultText: "the config's output",
      example: 'trackml-data/generated/sim',
    },
    shard: SHARD_FLAG,
  },
  examples: ['npm run stage:simulate -- --config pipelines/pipeline-simulate-test.yaml', 'npm run stage:simulate -- --output /tmp/sim'],
  run: async (args) => (await import('../stage.ts')).simulateStageCommand(args),
});
