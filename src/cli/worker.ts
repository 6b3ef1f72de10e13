// `npm run worker -- --queue URL [--concurrency K] [--config FILE] [--lock-ms MS] [--stalled-check-ms MS]
// [--max-stalled N]` (flags: commands/worker.ts): a queue worker until SIGTERM / Ctrl-C; exit 0 after a graceful stop.
import { runWorker } from '../pipeline/queue-worker.ts';

export async function workerCommand(flags: {
  queue: string;
  concurrency: number;
  config?: string;
  'lock-ms': number;
  'stalled-check-ms': number;
  'max-stalled': number;
}): Promise<void> {
  await runWorker({
    queueUrl: flags.queue,
    concurrency: flags.concurrency,
    configFile: flags.config,
    lockDurationMs: flags['lock-ms'],
    stalledIntervalMs: flags['stalled-check-ms'],
    maxStalledCount: flags['max-stalled'],
  });
  // BullMQ and the model may leave handles open; the worker is done.
  process.exit(0);
}
