// `npm run -s score`: the official TrackML score of a submission (implementation: ../score.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'score',
  summary:
    'The official TrackML score of a submission: two files (one event), two directories (pairs eventN-truth.csv[.gz] ' +
    'with eventN-submission.csv[.gz], prints each event and the mean), or a truth directory and a Kaggle combined ' +
    'submission (event_id,hit_id,track_id). Human lines first; the last stdout line is one JSON object.',
  flags: {
    truth: {
      type: 'string',
      value: 'PATH',
      required: true,
      description: 'truth file or directory of truth files',
      example: 'runs/default/events',
    },
    submission: {
      type: 'string',
      value: 'PATH',
      required: true,
      description:
        'submission file, directory of eventN-submission.csv[.gz] files, or a combined event_id,hit_id,track_id CSV (with a truth directory)',
      example: 'runs/default/pipeline',
    },
  },
  examples: [
    'npm run -s score -- --truth /data/trackml/train_1/event000001000-truth.csv --submission my/event000001000-submission.csv',
    'npm run -s score -- --truth runs/default/events --submission runs/default/pipeline',
  ],
  run: async (args) => (await import('../score.ts')).scoreCommand(args),
});
