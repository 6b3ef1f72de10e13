// Score speed on a full-size event (~110 k hits): the real sample truth tiled 20× in memory, scored as
// (a) truth-as-submission, (b) a realistic noisy submission, (c) every hit its own track. Min of 10 after load.
import path from 'node:path';
import { readTruth } from '../src/trackml/index.ts';
import type { Submission, Truth } from '../src/trackml/types.ts';
import { scoreEvent } from '../scoring/index.ts';
import { sharedDataDir, timeIt, writeResult } from './lib.ts';
import { mulberry32 } from '../src/core/random.ts';

const TILES = 20;
const REPEATS = 10;

/** `tiles` copies of the sample: hit ids renumbered 1..N (as in real events), particle ids shifted per copy. */
function tileTruth(t: Truth, tiles: number): Truth {
  const n = t.hitId.length;
  const m = n * tiles;
  const out: Truth = {
    hitId: new Uint32Array(m),
    particleId: new BigUint64Array(m),
    tx: new Float32Array(m),
    ty: new Float32Array(m),
    tz: new Float32Array(m),
    tpx: new Float32Array(m),
    tpy: new Float32Array(m),
    tpz: new Float32Array(m),
    weight: new Float64Array(m),
  };
  let maxId = 0n;
  for (const p of t.particleId) if (p > maxId) maxId = p;
  if (maxId * BigInt(tiles + 1) >= 2n ** 64n) throw new Error('sample particle ids too large to tile');
  for (let k = 0; k < tiles; k++) {
    // Copy k's ids are p + k·(maxId + 1): distinct across copies, and (checked above) below 2^64.
    const shift = BigInt(k) * (maxId + 1n);
    for (let i = 0; i < n; i++) {
      const j = k * n + i;
      out.hitId[j] = j + 1;
      const p = t.particleId[i];
      out.particleId[j] = p === 0n ? 0n : p + shift;
      out.weight[j] = t.weight[i] / tiles;
    }
  }
  const uniqueOne = new Set(t.particleId).size;
  const uniqueAll = new Set(out.particleId).size;
  if (uniqueAll !== (uniqueOne - 1) * tiles + 1) throw new Error('tiling made particle ids collide');
  return out;
}

/** Like a mediocre tracker: track = particle, but 15 % of particles split in two, 5 % of hits strayed to a
 * random track, 3 % of particles merged with another, noise hits spread over tracks; rows shuffled. */
function noisySubmission(t: Truth): Submission {
  const rand = mulberry32(7);
  const n = t.hitId.length;
  const trackOf = new Map<bigint, bigint>();
  const splitTrackOf = new Map<bigint, bigint>();
  const seen = new Map<bigint, number>();
  let next = 1n;
  const trackId = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const p = t.particleId[i];
    if (p === 0n) continue;
    if (!trackOf.has(p)) {
      trackOf.set(p, rand() < 0.03 && next > 1n ? BigInt(Math.floor(rand() * Number(next - 1n))) + 1n : next++);
      if (rand() < 0.15) splitTrackOf.set(p, next++);
    }
  }
  for (let i = 0; i < n; i++) {
    const p = t.particleId[i];
    let track: bigint;
    if (p === 0n || rand() < 0.05) {
      track = BigInt(Math.floor(rand() * Number(next - 1n))) + 1n;
    } else {
      const k = seen.get(p) ?? 0;
      seen.set(p, k + 1);
      const split = splitTrackOf.get(p);
      track = split !== undefined && k >= 4 ? split : (trackOf.get(p) as bigint);
    }
    trackId[i] = track;
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const x = order[i];
    order[i] = order[j];
    order[j] = x;
  }
  return { hitId: Uint32Array.from(order, (i) => t.hitId[i]), trackId: BigInt64Array.from(order, (i) => trackId[i]) };
}

const sample = readTruth(path.join(sharedDataDir, 'sample-event', 'event000000001-truth.csv.gz'));
const truth = tileTruth(sample, TILES);
const cases: Record<string, Submission> = {
  truthAsSubmission: { hitId: truth.hitId, trackId: BigInt64Array.from(truth.particleId, (p) => BigInt.asIntN(64, p)) },
  noisy: noisySubmission(truth),
  everyHitAlone: { hitId: truth.hitId, trackId: BigInt64Array.from(truth.hitId, (h) => BigInt(h)) },
};

const results: Record<string, unknown> = {};
for (const [name, sub] of Object.entries(cases)) {
  scoreEvent(truth, sub); // warm-up (JIT)
  const r = scoreEvent(truth, sub);
  const { minMs, medianMs } = await timeIt(() => scoreEvent(truth, sub), REPEATS);
  results[name] = { score: r.score, tracks: r.tracks, goodTracks: r.goodTracks, minMs, medianMs };
  process.stdout.write(
    `${name}: score ${r.score.toFixed(6)}, ${r.tracks} tracks, ${r.goodTracks} good` +
      ` — min ${minMs.toFixed(2)} ms, median ${medianMs.toFixed(2)} ms\n`,
  );
}

const file = writeResult('score', {
  hits: truth.hitId.length,
  particles: new Set(truth.particleId).size - 1,
  tiles: TILES,
  repeats: REPEATS,
  targetMs: 100,
  cases: results,
});
process.stdout.write(`${truth.hitId.length} hits; wrote ${file}\n`);
