// What the queue producer (`npm run pipeline -- --queue URL`) and its workers (`npm run worker`) share: the BullMQ
// queue name, the job's data, the job id, and Redis connections set up as BullMQ's documentation asks (workers
// and event listeners block, so their connections retry forever: maxRetriesPerRequest null).
import { Redis, type RedisOptions } from 'ioredis';
import { digestInputs, inputHashes } from '../core/cache.ts';
import { InputError } from '../core/errors.ts';
import { hashJson } from '../core/hash.ts';
import { codeHash } from '../core/provenance.ts';
import type { EventFiles } from '../trackml/index.ts';
import type { PipelineConfig } from './pipeline-config.ts';

export const QUEUE_NAME = 'trackml-pipeline';

/** One event of one run: every path absolute (the workers share the filesystem, not the working directory). */
export interface EventJobData {
  eventId: string;
  files: EventFiles;
  outputDir: string;
  config: PipelineConfig;
  /** Where the config came from (for messages). */
  configSource: string;
}

/** What a worker returns for a finished event. */
export interface EventJobResult {
  eventId: string;
  cached: boolean;
  /** The worker's time for the event (ms), and who did it. */
  ms: number;
  worker: string;
  score?: number;
}

/** How long finished jobs stay in Redis: while they do, re-enqueueing the same event (same config, same input
 * files, same code) adds nothing. Seven days, then the cache records on disk still make a rerun cheap. */
export const KEEP_JOBS = { age: 7 * 24 * 3600 } as const;

/** The job id of an event of a run: its id plus a hash of the whole config, the content of its input files and
 * the code, so re-enqueueing the same run is idempotent while a changed config, input or code version is a new
 * job. BullMQ reserves ':' in ids; these are hex and the event id. */
export function eventJobId(files: EventFiles, config: PipelineConfig): string {
  const inputs = inputHashes(digestInputs({ hits: files.hits, truth: files.truth, particles: files.particles }));
  return `${files.eventId}-${hashJson({ config, inputs, code: codeHash('pipeline') }).slice(0, 24)}`;
}

/** `redis://[user:pass@]HOST:PORT[/DB]` (or rediss://) checked at the door: anything else is one line. */
export function checkQueueUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(undefined, undefined, `--queue must be a Redis URL such as redis://HOST:PORT, got "${url}"`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new InputError(undefined, undefined, `--queue must be a redis:// or rediss:// URL, got "${url}"`);
  return url;
}

/** A connection for BullMQ. `blocking`: a worker's or QueueEvents' (retries forever, as BullMQ requires);
 * otherwise a producer's, which fails fast instead of hanging when Redis is gone. */
export function redisConnection(url: string, blocking: boolean, onError: (err: Error) => void): Redis {
  const opts: RedisOptions = blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 3, enableOfflineQueue: false };
  const r = new Redis(url, opts);
  r.on('error', onError);
  return r;
}

/** Connects once with no retries: a wrong host or port is one line (exit 2) before any work starts. */
export async function checkRedisReachable(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000 });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than the rejected connect ("Connection is closed").
  let first: Error | undefined;
  probe.on('error', (err: Error) => (first ??= err));
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new InputError(undefined, undefined, `cannot reach Redis at ${url}: ${(first ?? (err as Error)).message}`);
  } finally {
    probe.disconnect();
  }
}

/** A one-line reason from any error (multi-line messages joined). */
export function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, '; ');
}
