// Track ids between the track-building steps: one positive int32 per hit row (the submission's track_id, ≤ a few times
// the number of hits), so a step finds a track's size by indexing, not by hashing 64-bit ids. The public per-step
// functions take and return BigInt64Array (any 64-bit ids) through toStepIds / fromStepIds.
import { groupIds64 } from '../../scoring/dense-ids.ts';

/** Number of hits per track id (index: id). */
export function trackSizes(ids: Int32Array): Int32Array {
  let max = 0;
  for (let r = 0; r < ids.length; r++) if (ids[r] > max) max = ids[r];
  const size = new Int32Array(max + 1);
  for (let r = 0; r < ids.length; r++) size[ids[r]]++;
  return size;
}

/** Rows free for new tracks (their track has at most `maxTrackHits` hits: 1 = single hits only) and the rest, claimed. */
export function freeRows(ids: Int32Array, maxTrackHits: number): { free: Uint8Array; claimed: Uint8Array } {
  const size = trackSizes(ids);
  const free = new Uint8Array(ids.length);
  const claimed = new Uint8Array(ids.length);
  for (let r = 0; r < ids.length; r++) {
    free[r] = size[ids[r]] <= maxTrackHits ? 1 : 0;
    claimed[r] = 1 - free[r];
  }
  return { free, claimed };
}

/** The largest id (0 when there are no rows). */
export function maxId(ids: Int32Array): number {
  let max = 0;
  for (let r = 0; r < ids.length; r++) if (ids[r] > max) max = ids[r];
  return max;
}

/** Rows of every track with at least minHits hits, one array per track (tracks in order of their first row, rows
 * ascending); no array for the ~10⁵ smaller ones. */
export function rowsOfTracks(ids: Int32Array, size: Int32Array, minHits: number): number[][] {
  const rowsOf: number[][] = [];
  const slot = new Int32Array(size.length).fill(-1);
  for (let r = 0; r < ids.length; r++) {
    const t = ids[r];
    if (size[t] < minHits) continue;
    if (slot[t] < 0) slot[t] = rowsOf.push([]) - 1;
    rowsOf[slot[t]].push(r);
  }
  return rowsOf;
}

/** Rows of every track with at least minHits hits, as typed arrays: track t's rows are rows[start[t]..start[t + 1]),
 * t = 0..count−1, tracks in order of their first row (as rowsOfTracks), each track's rows ordered by key[row] ascending,
 * ties by row (what a stable sort of rowsOfTracks' ascending rows by key gives). One pass to group, insertion sorts
 * within tracks (a few to a few dozen hits): no array per track, no comparator calls. */
export interface TrackRows {
  count: number;
  start: Int32Array;
  rows: Int32Array;
}

export function trackRowsBy(ids: Int32Array, size: Int32Array, minHits: number, key: Float64Array): TrackRows {
  const slot = new Int32Array(size.length).fill(-1);
  let count = 0;
  let total = 0;
  for (let r = 0; r < ids.length; r++) {
    const t = ids[r];
    if (size[t] < minHits || slot[t] >= 0) continue;
    slot[t] = count++;
    total += size[t];
  }
  const start = new Int32Array(count + 1);
  for (let t = 0; t < size.length; t++) if (slot[t] >= 0) start[slot[t] + 1] = size[t];
  for (let q = 0; q < count; q++) start[q + 1] += start[q];
  const fill = start.slice(0, count);
  const rows = new Int32Array(total);
  for (let r = 0; r < ids.length; r++) {
    const q = slot[ids[r]];
    if (q < 0) continue;
    // Rows arrive ascending: insert by key behind every row of equal or smaller key (stable).
    const a = start[q];
    let j = fill[q]++;
    const kr = key[r];
    while (j > a && key[rows[j - 1]] > kr) {
      rows[j] = rows[j - 1];
      j--;
    }
    rows[j] = r;
  }
  return { count, start, rows };
}

/** Rows whose track has exactly one hit (a free hit for the strip extension, the inward pass and the overlaps). */
export function singleHits(ids: Int32Array, size: Int32Array): Uint8Array {
  const free = new Uint8Array(ids.length);
  for (let r = 0; r < ids.length; r++) free[r] = size[ids[r]] === 1 ? 1 : 0;
  return free;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The submission's track ids. */
export function toBigInt64(ids: Int32Array): BigInt64Array {
  const out = new BigInt64Array(ids.length);
  if (!LITTLE_ENDIAN) {
    for (let r = 0; r < ids.length; r++) out[r] = BigInt(ids[r]);
    return out;
  }
  // Positive int32 values: the low word is the value, the high word 0 — no BigInt per row.
  const words = new Int32Array(out.buffer);
  for (let r = 0; r < ids.length; r++) words[2 * r] = ids[r];
  return out;
}

/** Step ids for any 64-bit ids: id k (1..groups) stands for the k-th distinct value in row order. */
export interface StepIds {
  ids: Int32Array;
  /** Back to 64-bit ids: k ≤ groups → the value it stands for; new ids k > groups → max(values, 0) + k − groups. */
  back: (ids: Int32Array) => BigInt64Array;
}

export function toStepIds(trackId: BigInt64Array): StepIds {
  const { groupOfRow, firstRow, groups } = groupIds64(trackId);
  const ids = new Int32Array(trackId.length);
  for (let r = 0; r < ids.length; r++) ids[r] = groupOfRow[r] + 1;
  let top = 0n;
  for (const t of trackId) if (t > top) top = t;
  const back = (next: Int32Array): BigInt64Array => {
    const out = new BigInt64Array(next.length);
    for (let r = 0; r < next.length; r++) {
      const k = next[r];
      out[r] = k <= groups ? trackId[firstRow[k - 1]] : top + BigInt(k - groups);
    }
    return out;
  };
  return { ids, back };
}
