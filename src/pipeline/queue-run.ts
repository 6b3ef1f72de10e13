// `npm run pipeline -- --input DIR --output DIR --queue redis://HOST:PORT`: the producer of a queue run. It puts
// one BullMQ job per event on the queue (job id = event id + hash of config, input contents and code: enqueueing
// the same run again adds nothing), shows one progress bar for the whole run from the queue's events, and when
// the last job has ended writes the merged report from the records the workers (`npm run worker`) left in DIR,
// listing the events that failed with their reasons.
import path from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import { InputError } from '../core/errors.ts';
import { checkOutputDir, ensureOutputDir, removeStaleTemps } from '../core/fs.ts';
import { lockDir } from '../core/lock.ts';
import { Progress } from '../core/progress.ts';
import { writeProvenance } from '../core/provenance.ts';
import { readRecords } from '../core/cache.ts';
import type { EventRecord } from './finish-event.ts';
import { pipelineConfig } from './process-event.ts';
import {
  checkQueueUrl,
  checkRedisReachable,
  eventJobId,
  KEEP_JOBS,
  QUEUE_NAME,
  redisConnection,
  type EventJobData,
  type EventJobResult,
} from './queue.ts';
import type { PipelineOptions } from './run-pipeline.ts';
import { runEventFiles, summarizeEventRecords, type Failure } from './shard-run.ts';
import { writeReport } from './report.ts';
import type { PipelineSummary } from './summary.ts';

export interface QueueRunOptions extends Omit<PipelineOptions, 'scorer'> {
  queueUrl: string;
  /** Attempts per event for errors that are not the input's (a worker's disk, Redis): default 3. */
  attempts?: number;
}

export interface QueueRunResult {
  /** Undefined when every event failed. */
  summary?: PipelineSummary;
  events: number;
  /** Jobs this call added (0 when the same run was enqueued before). */
  enqueued: number;
  failures: Failure[];
  wallMs: number;
}

/** With no word from the queue for this long, the producer reads the unfinished jobs' states itself. */
const QUIET_MS = 60_000;

type JobOutcome = { ok: true; result?: EventJobResult } | { ok: false; reason: string };

/** Enqueues every event of `inputDir`, waits until each job has completed or failed, writes the report. Over 80
 * lines on purpose: enqueue, follow and report read as one sequence around the queue's lifetime. */
export async function runQueuedPipeline(opts: QueueRunOptions): Promise<QueueRunResult> {
  const url = checkQueueUrl(opts.queueUrl);
  checkOutputDir(opts.outputDir);
  const config = pipelineConfig(opts);
  const { all } = runEventFiles(opts.inputDir, opts.limit, undefined);
  await checkRedisReachable(url);
  const outputDir = path.resolve(opts.outputDir);
  const configSource = opts.configFile ? path.resolve(opts.configFile) : 'pipeline config';
  const abs = (f?: string) => (f === undefined ? undefined : path.resolve(f));
  const jobs = all.map((files) => {
    const data: EventJobData = {
      eventId: files.eventId,
      files: {
        eventId: files.eventId,
        hits: abs(files.hits),
        cells: abs(files.cells),
        particles: abs(files.particles),
        truth: abs(files.truth),
      },
      outputDir,
      config,
      configSource,
    };
    return {
      name: 'event',
      data,
      opts: {
        jobId: eventJobId(files, config),
        attempts: opts.attempts ?? 3,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: KEEP_JOBS,
        removeOnFail: KEEP_JOBS,
      },
    };
  });
  ensureOutputDir(opts.outputDir);
  // The producer owns the folder for the run (no other run, no shard); the workers write into it without a lock.
  // Stale temps are cleared only at the end: workers on other machines may be writing while this starts.
  const release = lockDir(opts.outputDir);
  const errors: string[] = [];
  const producerConn = redisConnection(url, false, (e) => errors.push(e.message));
  const eventsConn = redisConnection(url, true, () => undefined);
  const queue = new Queue<EventJobData, EventJobResult>(QUEUE_NAME, { connection: producerConn });
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConn });
  const t0 = performance.now();
  try {
    await events.waitUntilReady();
    const ids = new Set(jobs.map((j) => j.opts.jobId));
    const outcomes = new Map<string, JobOutcome>();
    const progress = opts.progress === false ? undefined : new Progress('pipeline (queue)', ids.size);
    let wake: () => void = () => undefined;
    let lastHeard = performance.now();
    const settle = (id: string, outcome: JobOutcome, detail: string) => {
      if (!ids.has(id) || outcomes.has(id)) return;
      lastHeard = performance.now();
      outcomes.set(id, outcome);
      progress?.tick(1, detail);
      wake();
    };
    // Listen before adding: no completion can slip between the two.
    events.on('completed', ({ jobId, returnvalue }) => {
      const r = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as EventJobResult;
      settle(jobId, { ok: true, result: r }, `${r.eventId} ${r.cached ? 'up to date' : `${r.ms.toFixed(0)} ms`} on ${r.worker}`);
    });
    events.on('failed', async ({ jobId, failedReason }) => {
      // A failed attempt that will be retried is not the end of the job.
      if (ids.has(jobId) && (await queue.getJobState(jobId)) === 'failed')
        settle(jobId, { ok: false, reason: failedReason }, `${jobId.slice(0, 14)} failed: ${failedReason}`);
    });
    const before = await Promise.all(jobs.map((j) => queue.getJobState(j.opts.jobId)));
    for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
    const enqueued = before.filter((s) => s === 'unknown').length;
    if (opts.progress !== false)
      process.stderr.write(
        `queue ${QUEUE_NAME}: ${enqueued} events enqueued, ${jobs.length - enqueued} already there (same config, inputs and code)\n`,
      );
    // Jobs that had ended before (a rerun) or whose events raced the listener: read their state once, and again
    // whenever nothing has been heard for a while (a lost event-stream message must not hang the run). One Redis
    // call per unfinished job; the job itself is read only once it has ended.
    const reconcile = async () => {
      for (const id of ids) {
        if (outcomes.has(id)) continue;
        const state = await queue.getJobState(id);
        if (state !== 'completed' && state !== 'failed') continue;
        const job = await Job.fromId<EventJobData, EventJobResult>(queue, id);
        if (!job) continue;
        if (state === 'completed') settle(id, { ok: true, result: job.returnvalue }, `${job.data.eventId} done`);
        else settle(id, { ok: false, reason: job.failedReason }, `${job.data.eventId} failed: ${job.failedReason}`);
      }
      lastHeard = performance.now();
    };
    await reconcile();
    while (outcomes.size < ids.size) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, QUIET_MS).unref();
      });
      if (errors.length) throw new InputError(undefined, undefined, `lost Redis at ${url}: ${errors[errors.length - 1]}`);
      if (performance.now() - lastHeard >= QUIET_MS) await reconcile();
    }
    const wallMs = performance.now() - t0;
    const failures: Failure[] = jobs.flatMap((j) => {
      const o = outcomes.get(j.opts.jobId)!;
      return o.ok ? [] : [{ eventId: j.data.eventId, reason: o.reason }];
    });
    const computed = new Set(
      jobs.flatMap((j) => {
        const o = outcomes.get(j.opts.jobId)!;
        return o.ok && o.result && !o.result.cached ? [j.data.eventId] : [];
      }),
    );
    const wanted = new Set(jobs.map((j) => j.data.eventId));
    const records = readRecords<EventRecord>(outputDir, 'pipeline').filter(
      (r) => wanted.has(r.eventId) && !failures.some((f) => f.eventId === r.eventId),
    );
    removeStaleTemps(outputDir);
    let summary: PipelineSummary | undefined;
    if (records.length > 0) {
      summary = summarizeEventRecords(opts.inputDir, outputDir, records, computed, computed.size > 0 ? wallMs : 0);
      summary.failures = failures;
      await writeReport(summary);
    }
    writeProvenance(outputDir, {
      stage: 'pipeline',
      config,
      inputs: [opts.inputDir, ...(opts.configFile ? [opts.configFile] : [])],
      timingsMs: { total: wallMs },
      results: {
        queue: url.replace(/\/\/[^@/]*@/, '//***@'),
        events: jobs.length,
        enqueued,
        computed: computed.size,
        failures,
        meanScore: summary?.meanScore,
      },
    });
    return { summary, events: jobs.length, enqueued, failures, wallMs };
  } finally {
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
    for (const c of [producerConn, eventsConn]) await c.quit().catch(() => c.disconnect());
    release();
  }
}
