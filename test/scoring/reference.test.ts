// scoreEvent against a literal port of the official trackml-library loop, on the real sample event (random
// merges, splits and noise) and on particle ids that differ only beyond 2^53.
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { readTruth } from '../../src/trackml/index.ts';
import type { Submission, Truth } from '../../src/trackml/types.ts';
import { scoreEvent } from '../../scoring/index.ts';
import { makeTruth, sampleTruthFile } from './fixtures.ts';
import { describeRealData } from '../real-data.ts';
import { referenceAnalyzeTracks, referenceScore } from './reference-score.ts';
import { mulberry32 } from '../../src/core/random.ts';

/** A random signed 64-bit track id, often large or negative so bigint handling is exercised. */
function randomTrackId(rand: () => number): bigint {
  const hi = BigInt(Math.floor(rand() * 2 ** 32));
  const lo = BigInt(Math.floor(rand() * 2 ** 32));
  return BigInt.asIntN(64, (hi << 32n) | lo);
}

interface Mix {
  /** Chance that a particle's hits join another particle's track. */
  merge: number;
  /** Chance that a particle's hits are split into two tracks at a random point. */
  split: number;
  /** Chance that a hit moves to a random other track. */
  stray: number;
  /** Chance that a noise hit joins a random track (otherwise it gets its own one-hit track). */
  noiseJoin: number;
}

/** Random submission derived from the truth: start from track = particle, then merge, split, stray, noise. */
function randomSubmission(truth: Truth, seed: number, mix: Mix): Submission {
  const rand = mulberry32(seed);
  const n = truth.hitId.length;
  const trackOfParticle = new Map<bigint, number>();
  let nextTrack = 0;
  const track = new Int32Array(n);
  const seenInParticle = new Map<bigint, number>();
  const splitAt = new Map<bigint, number>();
  const splitTrack = new Map<bigint, number>();
  for (let i = 0; i < n; i++) {
    const p = truth.particleId[i];
    if (p === 0n) continue;
    if (!trackOfParticle.has(p)) {
      trackOfParticle.set(p, nextTrack++);
      if (rand() < mix.split) {
        splitAt.set(p, 1 + Math.floor(rand() * 8));
        splitTrack.set(p, nextTrack++);
      }
    }
  }
  // Merges: point some particles at an earlier particle's track.
  const particles = [...trackOfParticle.keys()];
  for (const p of particles) {
    if (rand() < mix.merge) {
      const other = particles[Math.floor(rand() * particles.length)];
      trackOfParticle.set(p, trackOfParticle.get(other) as number);
    }
  }
  for (let i = 0; i < n; i++) {
    const p = truth.particleId[i];
    if (p === 0n) {
      track[i] = rand() < mix.noiseJoin && nextTrack > 0 ? Math.floor(rand() * nextTrack) : nextTrack++;
      continue;
    }
    const k = seenInParticle.get(p) ?? 0;
    seenInParticle.set(p, k + 1);
    const at = splitAt.get(p);
    track[i] = at !== undefined && k >= at ? (splitTrack.get(p) as number) : (trackOfParticle.get(p) as number);
    if (rand() < mix.stray) track[i] = Math.floor(rand() * nextTrack);
  }
  const ids = Array.from({ length: nextTrack }, () => randomTrackId(rand));
  // Shuffle the rows: the scorer must not depend on submission order.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return {
    hitId: Uint32Array.from(order, (i) => truth.hitId[i]),
    trackId: BigInt64Array.from(order, (i) => ids[track[i]]),
  };
}

/** Checks score and every per-track column against the reference loop. */
function expectAgreement(truth: Truth, sub: Submission): number {
  const ours = scoreEvent(truth, sub);
  const ref = referenceAnalyzeTracks(truth, sub);
  expect(Math.abs(ours.score - referenceScore(truth, sub))).toBeLessThan(1e-9);
  expect(ours.tracks).toBe(ref.length);
  const row = new Map<bigint, number>();
  ours.perTrack.trackId.forEach((t, k) => row.set(t, k));
  for (const r of ref) {
    const k = row.get(r.trackId) as number;
    expect(k).toBeDefined();
    expect(ours.perTrack.nhits[k]).toBe(r.nhits);
    expect(ours.perTrack.majorParticleId[k]).toBe(r.majorParticleId);
    expect(ours.perTrack.majorNhits[k]).toBe(r.majorNhits);
    expect(ours.perTrack.majorParticleNhits[k]).toBe(r.majorParticleNhits);
    expect(Math.abs(ours.perTrack.majorWeight[k] - r.majorWeight)).toBeLessThan(1e-12);
  }
  return ours.score;
}

describeRealData('scoreEvent on the real sample event', () => {
  let truth: Truth;
  beforeAll(() => {
    truth = readTruth(sampleTruthFile());
  });

  it('truth as submission (track_id = particle_id) scores 1', () => {
    const sub: Submission = {
      hitId: truth.hitId.slice(),
      trackId: BigInt64Array.from(truth.particleId, (p) => BigInt.asIntN(64, p)),
    };
    const r = scoreEvent(truth, sub);
    expect(Math.abs(r.score - 1)).toBeLessThan(1e-12);
    expect(r.hits).toBe(5527);
    // One track per distinct particle id: 468 particles leave hits (of the 548 in particles.csv) + the noise
    // track (829 noise hits, all in track 0: majority noise, good, weight 0).
    expect(new Set(truth.particleId).size).toBe(469);
    expect(r.tracks).toBe(469);
    expect(r.goodTracks).toBe(469);
    expect(Math.abs(referenceScore(truth, sub) - 1)).toBeLessThan(1e-12);
  });

  it('agrees with the reference loop on 40 random submissions', () => {
    const scores: number[] = [];
    for (let s = 0; s < 40; s++) {
      const level = (s % 8) / 8; // from clean to very messy
      scores.push(
        expectAgreement(
          truth,
          randomSubmission(truth, 1000 + s, {
            merge: 0.3 * level,
            split: 0.6 * level,
            stray: 0.2 * level,
            noiseJoin: level,
          }),
        ),
      );
    }
    // The mixes really span the range: a clean one near 1, a messy one far below.
    expect(Math.max(...scores)).toBeGreaterThan(0.99);
    expect(Math.min(...scores)).toBeLessThan(0.6);
  });

  it('rejects a submission missing one hit, with an extra hit, or with a duplicate hit', () => {
    const labels = { truthFile: 't.csv', submissionFile: 's.csv' };
    const full = randomSubmission(truth, 7, { merge: 0.1, split: 0.1, stray: 0.05, noiseJoin: 0.5 });
    const n = full.hitId.length;
    const missing: Submission = { hitId: full.hitId.slice(1), trackId: full.trackId.slice(1) };
    const errMissing = (() => {
      try {
        scoreEvent(truth, missing, labels);
      } catch (e) {
        return e;
      }
    })();
    expect(errMissing).toBeInstanceOf(InputError);
    expect((errMissing as InputError).message).toBe(`s.csv: 1 truth hit(s) missing from the submission, e.g. hit_id ${full.hitId[0]}`);

    let unknownId = 1;
    const known = new Set(truth.hitId);
    while (known.has(unknownId)) unknownId++;
    const extra: Submission = {
      hitId: Uint32Array.from([...full.hitId, unknownId]),
      trackId: BigInt64Array.from([...full.trackId, 5n]),
    };
    expect(() => scoreEvent(truth, extra, labels)).toThrow(new InputError('s.csv', n + 2, `hit_id ${unknownId} is not in the truth`));

    const dup: Submission = {
      hitId: Uint32Array.from([...full.hitId, full.hitId[10]]),
      trackId: BigInt64Array.from([...full.trackId, 5n]),
    };
    expect(() => scoreEvent(truth, dup, labels)).toThrow(/^s\.csv:\d+: duplicate hit_id \d+ \(first on line 12\)$/);
  });
});

describe('scoreEvent vs reference with particle ids beyond 2^53', () => {
  it('agrees on random submissions over particles 2^60 + k (adjacent ids collide as JS numbers)', () => {
    // 60 particles, 2–9 hits each, plus noise. Even k: ids 2^60 + k, whose float64 images are equal. Odd k:
    // high half k, low half 1000 − k, so ordering by either half alone is wrong; some near 2^64 − 1. Short
    // tracks mixing particles make many ties, so the smallest-id rule is checked on all of them.
    const rand = mulberry32(42);
    const hitIds: number[] = [];
    const pids: bigint[] = [];
    const weights: number[] = [];
    let hit = 1;
    for (let k = 1; k <= 60; k++) {
      let pid = (BigInt(k) << 32n) | BigInt(1000 - k);
      if (k % 2 === 0) pid = 2n ** 60n + BigInt(k);
      else if (k % 3 === 0) pid = 2n ** 64n - 1n - BigInt(k);
      const nh = 2 + Math.floor(rand() * 8);
      for (let j = 0; j < nh; j++) {
        hitIds.push(hit++);
        pids.push(pid);
        weights.push(rand());
      }
    }
    for (let j = 0; j < 30; j++) {
      hitIds.push(hit++);
      pids.push(0n);
      weights.push(0);
    }
    const truth = makeTruth(hitIds, pids, weights);
    for (let s = 0; s < 30; s++) {
      expectAgreement(truth, randomSubmission(truth, 5000 + s, { merge: 0.4, split: 0.8, stray: 0.3, noiseJoin: 0.7 }));
    }
  });
});
