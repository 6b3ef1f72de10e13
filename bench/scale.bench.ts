// Scale-out on the queue: events per second with 1 and 2 `npm run worker` processes on this box (the shipped
// pipeline, simulated events), the queue's own cost per event (a no-op worker on the same jobs: ms and Redis
// commands per event), Redis commands per real event (INFO commandstats around each run), bytes each event reads
// and writes, and Redis' own capacity here (redis-benchmark) — the figures the projection in BENCHMARKS.md uses.
// A private redis-server on a free port; workers are the real CLI (each reports its CPU seconds when it stops).
// SCALE_BENCH_EVENTS (default 6), SCALE_BENCH_PILEUP (default 200: full-size events), SCALE_BENCH_NOOP_JOBS (500).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { pipelineConfig } from '../src/pipeline/process-event.ts';
import { eventJobId, QUEUE_NAME, type EventJobData, type EventJobResult } from '../src/pipeline/queue.ts';
import { runQueuedPipeline } from '../src/pipeline/queue-run.ts';
import { simulateConfig, simulateEvent } from '../src/simulate/index.ts';
import { findEvents, writeEvent } from '../src/trackml/index.ts';
import { startRedis } from '../test/redis-server.ts';
import { repoRoot, writeResult } from './lib.ts';
import { scaleMarkdown } from './scale-report.ts';

const EVENTS = Number(process.env.SCALE_BENCH_EVENTS ?? 6);
const PILEUP = Number(process.env.SCALE_BENCH_PILEUP ?? 200);
const NOOP_JOBS = Number(process.env.SCALE_BENCH_NOOP_JOBS ?? 500);
const configFile = path.join(repoRoot, 'pipelines', 'pipeline-default.yaml');
const loadStart = os.loadavg()[0];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trackml-scale-bench-'));
const redis = await startRedis();
const client = new Redis(redis.url, { maxRetriesPerRequest: null });

/** Total calls per Redis command since the last CONFIG RESETSTAT. */
async function commandStats(): Promise<Record<string, number>> {
  const text = (await client.info('commandstats')) as string;
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
const top = (o: Record<string, number>, n: number, per: number) =>
  Object.entries(o)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${(v / per).toFixed(1)}`)
    .join(', ');

// 1. Events (simulated, deterministic), and what each one reads and writes.
const eventsDir = path.join(tmp, 'events');
const detector = buildDetectorIndex(loadDetector());
for (let k = 1; k <= EVENTS; k++) writeEvent(eventsDir, simulateEvent(detector, simulateConfig({ pileup: PILEUP }), 3, k));
const files = findEvents(eventsDir);
const readBytes =
  files.reduce((s, e) => s + [e.hits, e.truth, e.particles].reduce((t, f) => t + (f ? statSync(f).size : 0), 0), 0) / files.length;
process.stdout.write(`${EVENTS} events at pile-up ${PILEUP}; ${(readBytes / 1e6).toFixed(2)} MB read per event\n`);

// 2. The queue alone: a no-op worker in this process on jobs of the pipeline's size.
const config = pipelineConfig({ configFile });
const queue = new Queue<EventJobData, EventJobResult>(QUEUE_NAME, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }) });
await client.config('RESETSTAT');
const data: EventJobData = { eventId: files[0].eventId, files: files[0], outputDir: tmp, config, configSource: configFile };
const t0 = performance.now();
await queue.addBulk(
  Array.from({ length: NOOP_JOBS }, (_, i) => ({ name: 'event', data, opts: { jobId: `noop-${i}`, removeOnComplete: { age: 3600 } } })),
);
let done = 0;
const finished = new Promise<void>((resolve) => {
  const w = new Worker<EventJobData, EventJobResult>(
    QUEUE_NAME,
    async (job) => ({ eventId: job.data.eventId, cached: true, ms: 0, worker: 'noop' }),
    {
      connection: new Redis(redis.url, { maxRetriesPerRequest: null }),
    },
  );
  w.on('completed', () => {
    if (++done === NOOP_JOBS) void w.close().then(resolve);
  });
});
await finished;
const noopMsPerJob = (performance.now() - t0) / NOOP_JOBS;
const noopStats = await commandStats();
const noopOpsPerJob = sum(noopStats) / NOOP_JOBS;
await client.flushall();
process.stdout.write(
  `queue alone: ${noopMsPerJob.toFixed(2)} ms and ${noopOpsPerJob.toFixed(1)} Redis commands per job (${top(noopStats, 5, NOOP_JOBS)})\n`,
);

// 3. The real pipeline with 1 and 2 worker processes.
interface RunFigures {
  workers: number;
  eventsPerSecond: number;
  busySeconds: number;
  workerMsPerEvent: number;
  gapMsPerEvent: number;
  redisOpsPerEvent: number;
  redisTop: string;
  workerCpuSeconds: number[];
  writtenBytesPerEvent: number;
}
async function run(workers: number): Promise<RunFigures> {
  const out = path.join(tmp, `out-${workers}`);
  await client.config('RESETSTAT');
  const procs = Array.from({ length: workers }, (_, i) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'src/cli/launch.mjs'), 'worker', '--queue', redis.url, '--config', configFile],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let log = '';
    child.stderr!.on('data', (d) => (log += d));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    return { child, exited, log: () => log, index: i };
  });
  // Every worker loaded (model, module map) before the first job: start-up is not queue throughput.
  while (!procs.every((p) => / ready: queue /.test(p.log()))) await new Promise((r) => setTimeout(r, 100));
  const r = await runQueuedPipeline({ inputDir: eventsDir, outputDir: out, configFile, queueUrl: redis.url, progress: false });
  const stats = await commandStats();
  for (const p of procs) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
  const jobs = await Promise.all(files.map((f) => Job.fromId<EventJobData, EventJobResult>(queue, eventJobId(f, config))));
  const first = Math.min(...jobs.map((j) => j!.processedOn!));
  const last = Math.max(...jobs.map((j) => j!.finishedOn!));
  const busySeconds = (last - first) / 1000;
  const workerMs = jobs.reduce((s, j) => s + j!.returnvalue.ms, 0);
  const written = readdirSync(out)
    .filter((f) => f.startsWith('event'))
    .reduce((s, f) => s + statSync(path.join(out, f)).size, 0);
  await client.flushall();
  if (r.failures.length) throw new Error(`failures: ${JSON.stringify(r.failures)}`);
  return {
    workers,
    eventsPerSecond: EVENTS / busySeconds,
    busySeconds,
    workerMsPerEvent: workerMs / EVENTS,
    // Time on the workers not spent inside an event: taking the next job, committing the last one.
    gapMsPerEvent: (busySeconds * 1000 * workers - workerMs) / EVENTS,
    redisOpsPerEvent: sum(stats) / EVENTS,
    redisTop: top(stats, 6, EVENTS),
    // Each worker's whole-process CPU (start-up and model load included), from its last log line.
    workerCpuSeconds: procs.map((p) => Number(/stopped: .*; CPU ([\d.]+) s/.exec(p.log())?.[1] ?? NaN)),
    writtenBytesPerEvent: written / EVENTS,
  };
}
const runs: RunFigures[] = [];
for (const w of [1, 2]) {
  const f = await run(w);
  runs.push(f);
  process.stdout.write(
    `${w} worker${w > 1 ? 's' : ''}: ${f.eventsPerSecond.toFixed(3)} events/s over ${f.busySeconds.toFixed(1)} s, ${f.workerMsPerEvent.toFixed(0)} ms per event in the worker, ` +
      `${f.gapMsPerEvent.toFixed(0)} ms between events, ${f.redisOpsPerEvent.toFixed(1)} Redis commands per event (${f.redisTop}); worker CPU ${f.workerCpuSeconds.map((c) => c.toFixed(1)).join(' + ')} s\n`,
  );
}

// 4. Redis' own capacity on this box: pipelined-free SET/GET/LPUSH/ZADD rate from redis-benchmark (50 clients).
const rb = spawnSync('redis-benchmark', ['-p', String(redis.port), '-q', '-n', '100000', '-t', 'set,get,lpush,zadd', '--csv'], {
  encoding: 'utf8',
});
const rates = [...rb.stdout.matchAll(/^"(\w+)[^"]*","([\d.]+)"/gm)].map((m) => ({ test: m[1], opsPerSecond: Number(m[2]) }));
const redisOpsPerSecond = rates.length ? Math.min(...rates.map((r) => r.opsPerSecond)) : NaN;
process.stdout.write(`redis-benchmark: ${rates.map((r) => `${r.test} ${r.opsPerSecond.toFixed(0)}/s`).join(', ')}\n`);

await queue.close();
client.disconnect();
await redis.stop();
rmSync(tmp, { recursive: true, force: true });
const loadEnd = os.loadavg()[0];

// 5. The projection: the 8,850-event training set on N machines of C cores (one worker per core).
const throughput = (() => {
  try {
    return JSON.parse(readFileSync(path.join(repoRoot, 'bench/results/throughput.json'), 'utf8')) as {
      wholeProcess?: { label: string; cpuSecondsPerEvent: number }[];
    };
  } catch {
    return undefined;
  }
})();
const realCpuS = throughput?.wholeProcess?.find((w) => /workers: 1/.test(w.label))?.cpuSecondsPerEvent;
const cpuPerEventS = realCpuS ?? runs[0].workerCpuSeconds[0] / EVENTS;
const opsPerEvent = runs[0].redisOpsPerEvent;
const bytesPerEvent = readBytes + runs[0].writtenBytesPerEvent;
const TRAIN = 8850;
const projection = [1, 10, 100, 1000].map((machines) => {
  const cores = machines * 16;
  const eventsPerSecond = cores / cpuPerEventS;
  return {
    machines,
    cores,
    eventsPerSecond,
    hours: TRAIN / eventsPerSecond / 3600,
    redisShare: (eventsPerSecond * opsPerEvent) / redisOpsPerSecond,
    fsMBps: (eventsPerSecond * bytesPerEvent) / 1e6,
  };
});
const redisLimit = redisOpsPerSecond / opsPerEvent;
const fsLimit1GbE = 117e6 / bytesPerEvent;
const result = {
  command: 'npm run bench -- scale',
  settings: { events: EVENTS, pileup: PILEUP, noopJobs: NOOP_JOBS, config: 'pipelines/pipeline-default.yaml' },
  loadAverage: { start: loadStart, end: loadEnd },
  readBytesPerEvent: readBytes,
  queueAlone: { msPerJob: noopMsPerJob, redisCommandsPerJob: noopOpsPerJob },
  runs,
  redisBenchmark: rates,
  projection: {
    cpuSecondsPerEvent: cpuPerEventS,
    cpuSource: realCpuS !== undefined ? 'bench/results/throughput.json' : 'this run',
    bytesPerEvent,
    redisOpsPerSecond,
    redisEventsPerSecondLimit: redisLimit,
    fsEventsPerSecondLimit1GbE: fsLimit1GbE,
    rows: projection,
  },
};
writeResult('scale', { markdown: scaleMarkdown(result), ...result });
// The bench's own connections are closed; nothing else keeps the process.
process.exit(0);
