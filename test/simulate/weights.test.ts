// Official truth weights: a hand-made event whose weights can be computed on paper, and the real sample
// event, whose weights are the official ones (equal to ours up to one global factor: it is a 5 % subset).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeTruthWeights, orderWeight, ptWeight } from '../../src/simulate/weights.ts';
import { encodeParticleId, findEvents, readEvent } from '../../src/trackml/index.ts';
import type { Particles, Truth } from '../../src/trackml/types.ts';
import { describeRealData, realDataDir } from './helpers.ts';

function particlesOf(ids: bigint[], pts: number[], vzs: number[]): Particles {
  const n = ids.length;
  return {
    particleId: BigUint64Array.from(ids),
    particleType: new Int32Array(n).fill(211),
    vx: new Float32Array(n),
    vy: new Float32Array(n),
    vz: Float32Array.from(vzs),
    px: Float32Array.from(pts),
    py: new Float32Array(n),
    pz: new Float32Array(n),
    q: new Int8Array(n).fill(1),
    nhits: new Uint16Array(n),
  };
}

function truthOf(ids: bigint[], tzs: number[]): Truth {
  const n = ids.length;
  return {
    hitId: Uint32Array.from({ length: n }, (_, i) => i + 1),
    particleId: BigUint64Array.from(ids),
    tx: new Float32Array(n),
    ty: new Float32Array(n),
    tz: Float32Array.from(tzs),
    tpx: new Float32Array(n),
    tpy: new Float32Array(n),
    tpz: new Float32Array(n),
    weight: new Float64Array(n),
  };
}

describe('order and pT weights', () => {
  it('interpolate the 9-point curve and the pT ramp', () => {
    // 5 hits sit exactly on points 0, 2, 4, 6, 8 of [10,8,6,5,3,3,3,5,6].
    expect([0, 1, 2, 3, 4].map((i) => orderWeight(i, 5))).toEqual([10, 6, 3, 3, 6]);
    // 11 hits: hit 1 at x = 0.8 → 10 − 2·0.8 = 8.4; hit 8 at 6.4 → 3 + 2·0.4 = 3.8.
    expect(orderWeight(1, 11)).toBeCloseTo(8.4, 12);
    expect(orderWeight(8, 11)).toBeCloseTo(3.8, 12);
    expect(ptWeight(0.3)).toBe(0.2);
    expect(ptWeight(1.75)).toBeCloseTo(0.6, 12);
    expect(ptWeight(10)).toBe(1);
  });

  it('weights a hand-made event: per-particle normalised order × pT, zero for noise, short and secondary', () => {
    const a = encodeParticleId({ vertexId: 1, primaryId: 1, generation: 0, secondaryId: 0, process: 0 });
    const b = encodeParticleId({ vertexId: 2, primaryId: 5, generation: 0, secondaryId: 0, process: 0 });
    const short = encodeParticleId({ vertexId: 2, primaryId: 6, generation: 0, secondaryId: 0, process: 0 });
    const sec = encodeParticleId({ vertexId: 2, primaryId: 5, generation: 1, secondaryId: 1, process: 2 });
    // a: 5 hits at pT 3 GeV (pT weight 1), listed out of order; b: 5 hits at 0.3 GeV (0.2).
    const ids = [a, a, a, a, a, b, b, b, b, b, short, short, short, sec, sec, sec, sec, 0n];
    const tzs = [40, 10, 30, 20, 50, -10, -20, -30, -40, -50, 1, 2, 3, 1, 2, 3, 4, 0];
    const w = computeTruthWeights(truthOf(ids, tzs), particlesOf([a, b, short, sec], [3, 0.3, 5, 5], [0, 0, 0, 0]));
    // Order weights of 5 hits: 10, 6, 3, 3, 6 (sum 28). a's hits by |tz|: 10→10, 20→6, 30→3, 40→3, 50→6.
    const total = 1 + 0.2; // each particle sums to its pT weight before the event normalisation
    expect(w[1]).toBeCloseTo(10 / 28 / total, 12);
    expect(w[3]).toBeCloseTo(6 / 28 / total, 12);
    expect(w[2]).toBeCloseTo(3 / 28 / total, 12);
    expect(w[0]).toBeCloseTo(3 / 28 / total, 12);
    expect(w[4]).toBeCloseTo(6 / 28 / total, 12);
    expect(w[5]).toBeCloseTo((0.2 * 10) / 28 / total, 12);
    for (const i of [10, 11, 12, 13, 14, 15, 16, 17]) expect(w[i]).toBe(0);
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });
});

describeRealData('weights on the real sample event', () => {
  it('are proportional to the official weights, hit by hit', () => {
    const files = findEvents(path.join(realDataDir(), 'sample-event'))[0];
    const event = readEvent(files, ['truth', 'particles']);
    const ours = computeTruthWeights(event.truth!, event.particles!);
    const official = event.truth!.weight;
    let ratio = Number.NaN;
    let compared = 0;
    for (let i = 0; i < ours.length; i++) {
      // Zero exactly where the official weight is zero (noise, secondaries, < 4 hits).
      expect(ours[i] === 0).toBe(official[i] === 0);
      if (official[i] === 0) continue;
      if (Number.isNaN(ratio)) ratio = official[i] / ours[i];
      // The file prints 6 significant digits.
      expect(official[i] / ours[i] / ratio).toBeCloseTo(1, 4);
      compared++;
    }
    expect(compared).toBeGreaterThan(4000);
  });
});
