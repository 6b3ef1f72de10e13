// Hand-computed cases for scoreEvent on a 10-hit toy event, plus the input checks. Weights are powers of two
// so every expected score below is exact.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import type { Submission } from '../../src/trackml/types.ts';
import { scoreEvent } from '../../scoring/index.ts';
import { makeSubmission, makeTruth } from './fixtures.ts';
import { referenceScore } from './reference-score.ts';

/** Submission from a list of tracks, each a list of hit ids; track k gets id k + 1. */
function tracksToSubmission(tracks: number[][]): Submission {
  const hits: number[] = [];
  const ids: bigint[] = [];
  tracks.forEach((t, k) => t.forEach((h) => (hits.push(h), ids.push(BigInt(k + 1)))));
  return makeSubmission(hits, ids);
}

// Toy event, total weight 1:
//   particle A = 1: hits 1,2,3,4   weight 1/8 each (1/2 in all)
//   particle B = 2: hits 5,6,7     weight 1/8 each (3/8)
//   particle C = 3: hit 8          weight 1/8      (a 1-hit particle; officially weight 0, kept here to see it)
//   noise (0):      hits 9,10      weight 0
const A = 1n;
const B = 2n;
const C = 3n;
const toy = makeTruth(
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  [A, A, A, A, B, B, B, C, 0n, 0n],
  [0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0, 0],
);

describe('scoreEvent on hand-computed cases', () => {
  it('perfect submission (track = particle) scores 1', () => {
    // Four tracks A, B, C, noise; each holds 100 % of its hits and of its particle → all good; weights 1/2 +
    // 3/8 + 1/8 + 0 = 1.
    const r = scoreEvent(toy, tracksToSubmission([[1, 2, 3, 4], [5, 6, 7], [8], [9, 10]]));
    expect(r.score).toBe(1);
    expect(r.totalWeight).toBe(1);
    expect(r.tracks).toBe(4);
    expect(r.goodTracks).toBe(4);
    expect(r.hits).toBe(10);
  });

  it('all hits in one track scores 0 (no particle holds more than half the track)', () => {
    // Majority A with 4 of 10 hits: 4/10 ≤ 0.5 → not good.
    const r = scoreEvent(toy, tracksToSubmission([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]));
    expect(r.score).toBe(0);
    expect(r.tracks).toBe(1);
    expect(r.goodTracks).toBe(0);
    expect(r.perTrack.majorParticleId[0]).toBe(A);
    expect(r.perTrack.majorNhits[0]).toBe(4);
  });

  it('each hit alone: only 1-hit particles count', () => {
    // A single-hit track is 100 % pure but holds 1/nhits of its particle: > 0.5 only for C (1 of 1).
    // Noise hits alone hold 1/2 of the noise "particle" → not good. Score = C's weight 1/8.
    const r = scoreEvent(toy, tracksToSubmission([[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]));
    expect(r.score).toBe(0.125);
    expect(r.tracks).toBe(10);
    expect(r.goodTracks).toBe(1);
    expect(r.perTrack.good[7]).toBe(1);
    expect(r.perTrack.majorParticleId[7]).toBe(C);
  });

  it('exactly 50 % (of the track or of the particle) does not count', () => {
    // T1 {1,2}: A 2/2 of track, 2/4 = 0.5 of A → no.
    // T2 {3,4,5}: A 2/3 of track, 2/4 = 0.5 of A → no.
    // T3 {6,7,9}: B 2/3 of track, 2/3 of B → good, weight 2/8.
    // T4 {8,10}: C and noise 1 each, tie → noise (id 0 < 3); 1/2 of track → no.
    const r = scoreEvent(
      toy,
      tracksToSubmission([
        [1, 2],
        [3, 4, 5],
        [6, 7, 9],
        [8, 10],
      ]),
    );
    expect(r.score).toBe(0.25);
    expect(r.goodTracks).toBe(1);
    expect(Array.from(r.perTrack.good)).toEqual([0, 0, 1, 0]);
    expect(r.perTrack.majorParticleId[3]).toBe(0n);
    // A track of 6 with B's 3 hits: 3/6 = 0.5 of the track → no, even though it holds all of B.
    const half = scoreEvent(toy, tracksToSubmission([[5, 6, 7, 1, 9, 10], [2, 3, 4], [8]]));
    // Good: {2,3,4} (A 3/3, 3/4) = 3/8 and {8} = 1/8.
    expect(half.score).toBe(0.5);
    expect(Array.from(half.perTrack.good)).toEqual([0, 1, 1]);
  });

  it('ties go to the smallest particle id, whatever the hit order', () => {
    // {6,5,2,1}: B listed first, A and B 2 hits each → majority A (1 < 2). A tie can never score: two
    // particles with k hits each make the majority at most k/2k = 0.5 of the track.
    const r = scoreEvent(toy, tracksToSubmission([[6, 5, 2, 1], [3, 4], [7], [8, 9, 10]]));
    expect(r.perTrack.majorParticleId[0]).toBe(A);
    expect(r.perTrack.majorNhits[0]).toBe(2);
    expect(r.perTrack.good[0]).toBe(0);
    // {8,9,10}: noise 2/3 of track, 2/2 of noise → good but weight 0. Score 0.
    expect(r.perTrack.majorParticleId[3]).toBe(0n);
    expect(r.perTrack.good[3]).toBe(1);
    expect(r.score).toBe(0);
  });

  it('noise can be the majority and then the track earns nothing', () => {
    // {9,10,5}: noise 2 of 3 → majority noise, weight 0; B's hit 5 is lost. {6,7}: B 2/2, 2/3 → 2/8.
    // A and C perfect: 4/8 + 1/8. Score = 7/8.
    const r = scoreEvent(toy, tracksToSubmission([[9, 10, 5], [1, 2, 3, 4], [6, 7], [8]]));
    expect(r.score).toBe(0.875);
    expect(r.perTrack.majorParticleId[0]).toBe(0n);
    expect(r.perTrack.majorParticleNhits[0]).toBe(2);
    expect(r.perTrack.majorWeight[0]).toBe(0);
  });

  it('keeps particle ids above 2^53 distinct (2^60+1 vs 2^60+2 are the same JS number)', () => {
    const P = 2n ** 60n + 1n;
    const Q = 2n ** 60n + 2n;
    expect(Number(P)).toBe(Number(Q));
    // P: hits 1,2,3; Q: hits 4,5,6; weight 1/8 each. Track {1,2,4,5} has P 2, Q 2 → tie → P (smaller),
    // 2/4 = 0.5 → not good; {3}, {6}: 1/3 → no. Score 0. Had the ids merged into one "particle" of 6 hits,
    // {1,2,4,5} would hold 4/4 and 4/6 > 0.5 → 0.5 of the weight.
    const truth = makeTruth([1, 2, 3, 4, 5, 6], [P, P, P, Q, Q, Q], [0.125, 0.125, 0.125, 0.125, 0.125, 0.125]);
    const sub = makeSubmission([5, 4, 2, 1, 3, 6], [7n, 7n, 7n, 7n, 8n, 9n]);
    const r = scoreEvent(truth, sub);
    expect(r.score).toBe(0);
    expect(r.perTrack.majorParticleId[0]).toBe(P);
    expect(r.perTrack.majorParticleNhits[0]).toBe(3);
    expect(referenceScore(truth, sub)).toBe(0);
    // Track ids above 2^53 and negative ones stay distinct too: {1,2} under 2^62+1, {3} under 2^62+2.
    const big = 2n ** 62n;
    const byBigTrack = makeSubmission([1, 2, 3, 4, 5, 6], [big + 1n, big + 1n, big + 2n, -1n, -1n, -2n]);
    const r2 = scoreEvent(truth, byBigTrack);
    // {1,2}: P 2/2, 2/3 → good 2/8; {4,5}: Q 2/2, 2/3 → good 2/8; {3}, {6} not. Score 0.5 of 0.75 total.
    expect(r2.tracks).toBe(4);
    expect(r2.goodTracks).toBe(2);
    expect(r2.score).toBeCloseTo(0.5 / 0.75, 15);
    expect(Array.from(r2.perTrack.trackId)).toEqual([big + 1n, big + 2n, -1n, -2n]);
  });

  it('hit ids need not be 1..N (gaps, any order, ids past 2^31)', () => {
    const truth = makeTruth([4_000_000_000, 7, 123_456], [5n, 5n, 6n], [0.25, 0.25, 0.5]);
    const r = scoreEvent(truth, makeSubmission([123_456, 7, 4_000_000_000], [1n, 2n, 2n]));
    expect(r.score).toBe(1);
    expect(r.goodTracks).toBe(2);
  });
});

describe('scoreEvent input checks', () => {
  const labels = { truthFile: 'truth.csv', submissionFile: 'sub.csv' };
  const catchErr = (fn: () => unknown): InputError => {
    try {
      fn();
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error('expected an InputError');
  };
  const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const perfect = [A, A, A, A, B, B, B, C, 0n, 0n];

  it('rejects a submission hit_id that is not in the truth, with its line', () => {
    const e = catchErr(() => scoreEvent(toy, makeSubmission([...ids, 99], [...perfect, 1n]), labels));
    expect(e.file).toBe('sub.csv');
    expect(e.row).toBe(12); // row index 10 + header line + 1-based
    expect(e.message).toMatch(/hit_id 99 is not in the truth/);
  });

  it('rejects truth hits missing from the submission, naming one and the count', () => {
    const e = catchErr(() => scoreEvent(toy, makeSubmission([1, 2, 3, 5, 6, 7, 8, 9], perfect.slice(0, 8)), labels));
    expect(e.file).toBe('sub.csv');
    expect(e.message).toMatch(/^sub\.csv: 2 truth hit\(s\) missing from the submission, e\.g\. hit_id 4$/);
    const empty = catchErr(() => scoreEvent(toy, makeSubmission([], []), labels));
    expect(empty.message).toMatch(/10 truth hit\(s\) missing/);
  });

  it('rejects a duplicate hit_id in the submission, naming both lines', () => {
    const e = catchErr(() => scoreEvent(toy, makeSubmission([...ids.slice(0, 9), 3], perfect), labels));
    expect(e.row).toBe(11);
    expect(e.message).toMatch(/duplicate hit_id 3 \(first on line 4\)/);
  });

  it('rejects a truth without weight', () => {
    const zero = makeTruth([1, 2], [0n, 0n], [0, 0]);
    expect(catchErr(() => scoreEvent(zero, makeSubmission([1, 2], [1n, 1n]), labels)).message).toMatch(/weights sum to 0/);
  });

  it('handles sparse hit ids and still finds unknown and duplicate ids', () => {
    // max id ≫ 8 × hits and ≥ 2^20 → the Map path of hitRowLookup.
    const truth = makeTruth([3_000_000_000, 5, 2_000_000_000], [1n, 1n, 2n], [0.25, 0.25, 0.5]);
    expect(catchErr(() => scoreEvent(truth, makeSubmission([5, 6, 2_000_000_000], [1n, 1n, 2n]), labels)).row).toBe(3);
    expect(catchErr(() => scoreEvent(truth, makeSubmission([5, 2_000_000_000, 5], [1n, 1n, 2n]), labels)).message).toMatch(
      /duplicate hit_id 5 \(first on line 2\)/,
    );
  });
});
