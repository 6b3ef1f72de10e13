// `npm run merge`: the report of a sharded run from its shards' per-event records (implementation: ../merge.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'merge',
  summary:
    'After the shards of a run (`npm run pipeline -- --shard I/N`) have all finished: combines their per-event ' +
    'records in --output into one report.json and report.html, the same numbers a one-process run gives. Refused ' +
    'while a shard still runs there; an event of the input folder without a record is one line naming it.',
  flags: {
    output: { type: 'string', value: 'DIR', required: true, description: 'the output folder the shards wrote', example: 'runs/sharded' },
    input: {
      type: 'string',
      value: 'DIR',
      description: 'the events folder of the run (every event there must have a record)',
      defaultText: "the folder the records' hits files were read from",
      example: 'runs/default/events',
    },
    limit: {
      type: 'integer',
      value: 'N',
      min: 1,
      description: 'the run covered only the first N events (as its --limit)',
      defaultText: 'all events',
      example: '100',
    },
  },
  examples: ['npm run merge -- --output runs/sharded', 'npm run merge -- --output /scratch/trackml-out --input /data/trackml/train_1'],
  run: async (args) => (await import('../merge.ts')).mergeCommand(args),
});
