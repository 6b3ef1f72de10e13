// `npm run stage:tracks`: graphs + edge scores + hits → submissions (implementation: ../stage.ts).
import { defineCommand } from '../command.ts';
import { SHARD_FLAG } from '../shard-flag.ts';

export default defineCommand({
  name: 'stage:tracks',
  summary:
    "Track building as a stage: the events' hits, the graphs of stage:graphs and the edge scores of stage:infer in, " +
    'one eventNNNNNNNNN-submission.csv per event out; cached per event.',
  flags: {
    config: {
      type: 'string',
      value: 'FILE',
      required: true,
      description: 'stage config: input, graphs, scores, output folders and tracks settings (tracksStageSchema in src/pipeline/stages.ts)',
      example: 'pipelines/stage-tracks.yaml',
    },
    input: {
      type: 'string',
      value: 'DIR',
      description: "events folder (hits files), instead of the config's input",
      defaultText: "the config's input",
      example: 'trackml-data/generated/sim',
    },
    output: {
      type: 'string',
      value: 'DIR',
      description: "submissions folder, instead of the config's output",
      defaultText: "the config's output",
      example: 'runs/tracks',
    },
    shard: SHARD_FLAG,
  },
  examples: [
    'npm run stage:tracks -- --config pipelines/stage-tracks.yaml',
    'npm run stage:tracks -- --config pipelines/stage-tracks.yaml --input trackml-data/generated/sim --output runs/tracks',
  ],
  run: async (args) => (await import('../stage.ts')).tracksStageCommand(args),
});
