// `npm run worker`: a queue worker for `npm run pipeline -- --queue URL` (implementation: ../worker.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'worker',
  summary:
    'A pipeline worker on a BullMQ queue in Redis: takes the events a `npm run pipeline -- --queue URL` run enqueued ' +
    'and processes them (run one per core, on any number of machines that see the same input and output paths), ' +
    'until stopped. SIGTERM or Ctrl-C finishes the events in hand and exits 0; a worker killed outright loses ' +
    "nothing: after --lock-ms another worker's stalled-job check takes its event over. One log line per event on stderr.",
  flags: {
    queue: {
      type: 'string',
      value: 'URL',
      required: true,
      description: 'the Redis server holding the queue',
      example: 'redis://127.0.0.1:6379',
    },
    concurrency: {
      type: 'integer',
      value: 'K',
      min: 1,
      default: 1,
      description: 'events at a time in this process (the work is CPU-bound: prefer one worker per core)',
      example: '2',
    },
    config: {
      type: 'string',
      value: 'FILE',
      description: "pipeline config to load (model, module map) before taking the first job; jobs always run with their run's own config",
      defaultText: 'loaded with the first job',
      example: 'pipelines/pipeline-default.yaml',
    },
    'lock-ms': {
      type: 'integer',
      value: 'MS',
      min: 1000,
      default: 120_000,
      description:
        "BullMQ's job lock: an event whose worker stops renewing it for this long goes to another worker; keep it well above the longest event",
      example: '60000',
    },
    'stalled-check-ms': {
      type: 'integer',
      value: 'MS',
      min: 100,
      default: 30_000,
      description: 'how often this worker looks for events of lost workers',
      example: '10000',
    },
    'max-stalled': {
      type: 'integer',
      value: 'N',
      min: 0,
      default: 2,
      description: 'times an event may lose its worker before it fails (an event that kills every worker it meets, e.g. out of memory)',
      example: '1',
    },
  },
  examples: [
    'npm run worker -- --queue redis://10.0.0.5:6379',
    'npm run worker -- --queue redis://127.0.0.1:6379 --concurrency 2 --config pipelines/pipeline-default.yaml',
  ],
  run: async (args) => (await import('../worker.ts')).workerCommand(args),
});
