// `npm run stage:score`: submissions + truth → TrackML score and tracking metrics (implementation: ../stage.ts).
import { defineCommand } from '../command.ts';
import { SHARD_FLAG } from '../shard-flag.ts';

export default defineCommand({
  name: 'stage:score',
  summary:
    'Scoring as a stage: submissions and truth in; per event and overall TrackML score, tracking efficiency, fake ' +
    'and duplicate rates by pT out (score.json); cached per event.',
  flags: {
    config: {
      type: 'string',
      value: 'FILE',
      required: true,
      description: 'stage config: truth, submissions and output folders (scoreStageSchema in src/pipeline/stages.ts)',
      example: 'pipelines/stage-score.yaml',
    },
    input: {
      type: 'string',
      value: 'DIR',
      description: "submissions folder, instead of the config's submissions",
      defaultText: "the config's submissions",
      example: 'runs/tracks',
    },
    output: {
      type: 'string',
      value: 'DIR',
      description: "folder for score.json and records, instead of the config's output",
      defaultText: "the config's output",
      example: 'runs/score',
    },
    truth: {
      type: 'string',
      value: 'DIR',
      description: "events with truth files, instead of the config's truth",
      defaultText: "the config's truth",
      example: 'trackml-data/generated/sim',
    },
    shard: SHARD_FLAG,
  },
  examples: [
    'npm run stage:score -- --config pipelines/stage-score.yaml',
    'npm run stage:score -- --config pipelines/stage-score.yaml --truth trackml-data/generated/sim --input runs/tracks --output runs/score',
  ],
  run: async (args) => (await import('../stage.ts')).scoreStageCommand(args),
});
