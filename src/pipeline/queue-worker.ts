// `npm run worker`: takes pipeline events from the BullMQ queue until stopped. One process loads each model once
// (the context per run is kept) and runs `concurrency` events at a time; start one worker per core, on as many
// machines as share the input and output paths. Robustness, as BullMQ documents it: the job lock is renewed while
// an event runs (lockDuration well above the longest synchronous stretch of an event, or the job would be taken
// as stalled while still running); a worker that dies mid-event (kill -9, lost machine) stops renewing, and
// another worker's stalled-job check hands the event on; its outputs are committed by atomic renames and vouched
// for by the record written last, so the redo overwrites nothing half-written and adds no row. A bad input fails
// its job at once (UnrecoverableError: no retry of a user error); other errors are retried (job attempts).
// SIGTERM / SIGINT: finish the events in hand, then exit 0 (worker.close()); a second signal exits at once.
import os from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { InputError } from '../core/errors.ts';
import type { PipelineConfig } from './pipeline-config.ts';
import { makePipelineContext, makeScorer, pipelineConfig, processEvent, type PipelineContext } from './process-event.ts';
import {
  checkQueueUrl,
  checkRedisReachable,
  oneLine,
  QUEUE_NAME,
  redisConnection,
  type EventJobData,
  type EventJobResult,
} from './queue.ts';
import type { EdgeScorer } from './scorers.ts';

export interface WorkerOptions {
  queueUrl: string;
  /** Events at a time in this process (default 1: the pipeline is CPU-bound; run one worker per core). */
  concurrency?: number;
  /** BullMQ's job lock (ms): must exceed the longest synchronous stretch of one event. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (ms). */
  stalledIntervalMs?: number;
  /** Times an event may be lost with its worker before it fails ("job stalled more than allowable limit"). */
  maxStalledCount?: number;
  /** Log lines (default: stderr with time and worker name). */
  log?: (line: string) => void;
  /** A pipeline config to load (model, module map) before the first job, so that no job waits for it. */
  configFile?: string;
  /** Resolves when the worker should stop (default: SIGTERM or SIGINT). */
  stop?: Promise<string>;
}

export const WORKER_DEFAULTS = { concurrency: 1, lockDurationMs: 120_000, stalledIntervalMs: 30_000, maxStalledCount: 2 } as const;

export interface WorkerResult {
  completed: number;
  failed: number;
  reason: string;
}

/** Resolves with the signal's name at the first SIGTERM or SIGINT; a second one exits at once (130). */
function stopSignal(log: (line: string) => void): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false;
    const on = (sig: NodeJS.Signals) => {
      if (stopping) {
        log(`${sig} again: exiting now; the events in hand go back to the queue by the stalled-job check`);
        process.exit(130);
      }
      stopping = true;
      resolve(sig);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/** Runs a worker until stopped; resolves after a graceful close. Redis unreachable at the start is one line. */
export async function runWorker(opts: WorkerOptions): Promise<WorkerResult> {
  const url = checkQueueUrl(opts.queueUrl);
  const name = `${os.hostname()}:${process.pid}`;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} worker ${name} ${line}\n`));
  await checkRedisReachable(url);
  const settings = { ...WORKER_DEFAULTS, ...definedOnly(opts) };
  let lastRedisError = '';
  const onRedisError = (err: Error) => {
    // ioredis reconnects by itself; say so once per distinct error, not on every retry.
    if (err.message !== lastRedisError) log(`redis: ${err.message} (reconnecting)`);
    lastRedisError = err.message;
  };
  const connection = redisConnection(url, true, onRedisError);
  const contexts = new Map<string, Promise<PipelineContext>>();
  const scorers = new Map<string, Promise<EdgeScorer>>();
  // One context per config (graph context, scorer), one scorer per model: the model is loaded once. The output
  // folder is the job's own (nothing else in the context depends on it).
  const contextFor = async (config: PipelineConfig, configSource: string, outputDir: string): Promise<PipelineContext> => {
    const key = JSON.stringify(config);
    if (!contexts.has(key)) {
      const sKey = JSON.stringify([config.scorer, config.model, config.backend, config.truthNoise]);
      if (!scorers.has(sKey)) scorers.set(sKey, makeScorer(config));
      contexts.set(
        key,
        scorers.get(sKey)!.then((s) => makePipelineContext(outputDir, config, configSource, s)),
      );
    }
    return { ...(await contexts.get(key)!), outputDir };
  };
  if (opts.configFile !== undefined) {
    const t = performance.now();
    await contextFor(pipelineConfig({ configFile: opts.configFile }), opts.configFile, '');
    log(`loaded ${opts.configFile} in ${(performance.now() - t).toFixed(0)} ms`);
  }
  let completed = 0;
  let failed = 0;
  const processor = async (job: Job<EventJobData, EventJobResult>): Promise<EventJobResult> => {
    const d = job.data;
    const t0 = performance.now();
    log(
      `${d.eventId} start (job ${job.id}, attempt ${job.attemptsStarted}${job.stalledCounter ? `, after ${job.stalledCounter} lost worker${job.stalledCounter > 1 ? 's' : ''}` : ''})`,
    );
    try {
      const ctx = await contextFor(d.config, d.configSource, d.outputDir);
      const { record, cached } = await processEvent(ctx, d.files);
      const ms = performance.now() - t0;
      return { eventId: d.eventId, cached, ms, worker: name, score: record.truth?.score };
    } catch (err) {
      // The input's fault: no retry can help; the job fails with the one line the CLI would print.
      if (err instanceof InputError) throw new UnrecoverableError(oneLine(err));
      throw err;
    }
  };
  const worker = new Worker<EventJobData, EventJobResult>(QUEUE_NAME, processor, {
    connection,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
    autorun: false,
  });
  worker.on('completed', (job, r) => {
    completed++;
    log(
      `${r.eventId} done: ${r.cached ? 'up to date' : `computed in ${r.ms.toFixed(0)} ms`}${r.score !== undefined ? `, score ${r.score.toFixed(4)}` : ''}`,
    );
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) failed++;
    log(`${job.data.eventId} failed${final ? '' : ` (attempt ${job.attemptsMade} of ${job.opts.attempts}; will retry)`}: ${oneLine(err)}`);
  });
  worker.on('stalled', (jobId) => log(`job ${jobId} stalled (its worker was lost): back to the queue`));
  worker.on('error', (err) => log(`error: ${oneLine(err)}`));
  log(
    `ready: queue ${QUEUE_NAME} at ${url.replace(/\/\/[^@/]*@/, '//***@')}, concurrency ${settings.concurrency}, lock ${settings.lockDurationMs} ms, stalled check every ${settings.stalledIntervalMs} ms`,
  );
  const running = worker.run();
  const reason = await Promise.race([opts.stop ?? stopSignal(log), running.then(() => 'worker ended')]);
  log(`${reason}: finishing ${worker.isRunning() ? 'the events in hand' : 'up'}, then exiting`);
  await worker.close();
  await running.catch(() => undefined);
  for (const s of scorers.values()) await (await s.catch(() => undefined))?.release?.();
  await connection.quit().catch(() => connection.disconnect());
  const cpu = process.cpuUsage();
  log(`stopped: ${completed} events done, ${failed} failed; CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`);
  return { completed, failed, reason };
}

function definedOnly(o: WorkerOptions): Partial<typeof WORKER_DEFAULTS> {
  const out: Record<string, number> = {};
  for (const k of ['concurrency', 'lockDurationMs', 'stalledIntervalMs', 'maxStalledCount'] as const)
    if (o[k] !== undefined) out[k] = o[k]!;
  return out;
}
