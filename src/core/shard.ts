// Shards for batch systems: `--shard I/N` keeps a deterministic 1/N of the events, chosen by a hash of each event
// id (not its position in a listing), so an event stays in its shard when events are added or removed and N jobs
// of a Slurm array or a Kubernetes Indexed Job split any folder without talking to each other.
import { createHash } from 'node:crypto';
import { InputError } from './errors.ts';

export interface Shard {
  /** 0-based, below `count` (Slurm's SLURM_ARRAY_TASK_ID with --array=0-(N-1), Kubernetes' JOB_COMPLETION_INDEX). */
  index: number;
  count: number;
}

/** Parses `I/N` (0 ≤ I < N); anything else is one InputError line naming the flag. */
export function parseShard(text: string, flag = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index >= count) {
    throw new InputError(
      undefined,
      undefined,
      `${flag} must be I/N with 0 ≤ I < N (e.g. 0/4; Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT), got "${text}"`,
    );
  }
  return { index, count };
}

/** The shard (0..count-1) an event id belongs to: the first 8 bytes of its SHA-256, modulo `count`. */
export function shardOfEvent(eventId: string, count: number): number {
  const h = createHash('sha256').update(eventId).digest();
  return Number(h.readBigUInt64BE(0) % BigInt(count));
}

/** The items whose event id falls in `shard` (all of them without one), in their order. */
export function inShard<T extends { eventId: string }>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard || shard.count === 1) return [...items];
  return items.filter((e) => shardOfEvent(e.eventId, shard.count) === shard.index);
}

/** `shard-I-of-N`, for file names that belong to one shard (its lock, its provenance). */
export function shardTag(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}
