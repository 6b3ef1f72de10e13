// `npm run pipeline`: the whole tracking chain over a directory of events (implementation: ../pipeline.ts).
import { defineCommand } from '../command.ts';
import { SHARD_FLAG } from '../shard-flag.ts';

export default defineCommand({
  name: 'pipeline',
  summary:
    'Every event in --input (.csv or .csv.gz; hits only or all four kinds) through read → graph → GNN edge scores → ' +
    'tracks: one eventNNNNNNNNN-submission.csv per event, report.json and report.html, scored when truth is there. ' +
    'Resumable: a killed run continues where it stopped.',
  flags: {
    input: { type: 'string', value: 'DIR', required: true, description: 'folder of TrackML events', example: 'runs/default/events' },
    output: {
      type: 'string',
      value: 'DIR',
      required: true,
      description: 'folder for submissions, report and provenance',
      example: 'runs/test',
    },
    config: {
      type: 'string',
      value: 'FILE',
      description: 'pipeline config (keys: src/pipeline/pipeline-config.ts)',
      defaultText: 'built-in defaults, as pipelines/pipeline-default.yaml',
      example: 'pipelines/pipeline-default.yaml',
    },
    limit: { type: 'integer', value: 'N', min: 1, description: 'only the first N events', defaultText: 'all events', example: '2' },
    'save-graphs': {
      type: 'boolean',
      description: "also keep each event's graph and edge scores for the viewer (the config's saveGraphs)",
    },
    shard: SHARD_FLAG,
    queue: {
      type: 'string',
      value: 'URL',
      description:
        "enqueue one job per event on the BullMQ queue in this Redis for `npm run worker` processes (any number, any machine sharing the paths), show the whole run's progress and write the report when the last job ends; running it again enqueues nothing new",
      defaultText: 'none: this process does every event',
      example: 'redis://127.0.0.1:6379',
    },
  },
  examples: [
    'npm run pipeline -- --input /data/trackml/test --output runs/test',
    'npm run pipeline -- --input runs/default/events --output runs/again --config pipelines/pipeline-default.yaml --limit 1 --save-graphs',
    'npm run pipeline -- --input /data/trackml/train_1 --output /scratch/out --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT',
    'npm run pipeline -- --input /data/trackml/train_1 --output /shared/out --queue redis://10.0.0.5:6379',
  ],
  run: async (args) => (await import('../pipeline.ts')).pipelineCommand(args),
});
