// `npm run -s score`: the official TrackML score of a submission (implementation: ../score.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'score',
  summary:
    'The official TrackML score of a submission: two files (one event) or two directories (pairs eventN-truth.csv[.gz] ' +
    'with eventN-submission.csv[.gz], prints each event and the mean). Human lines first; the last stdout line is one JSON object.',
  flags: {
    truth: { type: 'string', value: 'PATH', required: true, description: 'truth file or directory of truth files', example: 'runs/default/events' },
    submission: {
      type: 'string',
      value: 'PATH',
      required: true,
      description: 'submission file or directory of eventN-submission.csv[.gz] files (same kind as --truth)',
      example: 'runs/default/pipeline',
    },
  },
  examples: [
    'npm run -s score -- --truth /data/trackml/train_1/event000001000-truth.csv --submission my/event000001000-submission.csv',
    'npm run -s score -- --truth runs/default/events --submission runs/default/pipeline',
  ],
  run: async (args) => (await import('../score.ts')).scoreCommand(args),
});
