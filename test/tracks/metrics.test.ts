// Tracking metrics on a hand-made event whose efficiency, fake and duplicate rates can be counted on paper.
import { describe, expect, it } from 'vitest';
import type { Particles, Submission, Truth } from '../../src/trackml/types.ts';
import { countTracking, trackingRates } from '../../src/tracks/index.ts';

// Particles: P1 pT 0.7 (4 hits), P2 pT 1.5 η 0 (6 hits), P3 pT 3 η 1.2 (5 hits), P4 pT 0.3 (3 hits); 1 noise hit.
const particleOfHit: Record<number, bigint> = {};
const hitsOf: Record<string, number[]> = { 1: [1, 2, 3, 4], 2: [5, 6, 7, 8, 9, 10], 3: [12, 13, 14, 15, 16], 4: [17, 18, 19] };
for (const [p, hs] of Object.entries(hitsOf)) for (const h of hs) particleOfHit[h] = BigInt(p);
particleOfHit[11] = 0n;
const hitIds = Object.keys(particleOfHit)
  .map(Number)
  .sort((a, b) => a - b);

function truth(): Truth {
  const n = hitIds.length;
  const z = () => new Float32Array(n);
  return {
    hitId: Uint32Array.from(hitIds),
    particleId: BigUint64Array.from(hitIds.map((h) => particleOfHit[h])),
    tx: z(),
    ty: z(),
    tz: z(),
    tpx: z(),
    tpy: z(),
    tpz: z(),
    weight: new Float64Array(n).fill(1 / n),
  };
}

function particles(): Particles {
  const pt = [0.7, 1.5, 3, 0.3];
  const pz = [0, 0, 3 * Math.sinh(1.2), 0];
  return {
    particleId: BigUint64Array.from([1n, 2n, 3n, 4n]),
    particleType: undefined,
    vx: new Float32Array(4),
    vy: new Float32Array(4),
    vz: new Float32Array(4),
    px: Float32Array.from(pt),
    py: new Float32Array(4),
    pz: Float32Array.from(pz),
    q: new Int8Array(4),
    nhits: Uint16Array.from([4, 6, 5, 3]),
  };
}

// Tracks: T1 {1,2,3} P1 found; {4}; T2 {5,6,7,8} P2 found; T3 {9,10,11} matched to P2 again (duplicate);
// T4 {12,13,17,18}: P3 and P4 2 each, ≤ 50 % → fake (tie → smaller id P3: binned at pT 3); T5 {14,15,16} P3
// found (3 of its 5 hits); {19}.
const trackOfHit: Record<number, bigint> = {
  1: 1n,
  2: 1n,
  3: 1n,
  4: 2n,
  5: 3n,
  6: 3n,
  7: 3n,
  8: 3n,
  9: 4n,
  10: 4n,
  11: 4n,
  12: 5n,
  13: 5n,
  17: 5n,
  18: 5n,
  14: 6n,
  15: 6n,
  16: 6n,
  19: 7n,
};

function submission(): Submission {
  return { hitId: Uint32Array.from(hitIds), trackId: BigInt64Array.from(hitIds.map((h) => trackOfHit[h])) };
}

describe('tracking metrics', () => {
  it('counts reconstructable/found particles, fake and duplicate tracks per pT bin', () => {
    const c = countTracking(truth(), submission(), particles());
    // pT bins [0,0.5) [0.5,1) [1,2) [2,5) [5,∞): P4, P1, P2, P3.
    expect(c.reconstructable[0]).toEqual([1, 1, 1, 1, 0]);
    expect(c.reconstructed[0]).toEqual([0, 1, 1, 1, 0]);
    // ≥ 5 hits: P2 (6) and P3 (5) only.
    expect(c.reconstructable[1]).toEqual([0, 0, 1, 1, 0]);
    expect(c.reconstructed[1]).toEqual([0, 0, 1, 1, 0]);
    // Candidate tracks (≥ 3 hits) by majority-particle pT: T1 → bin 1; T2, T3 → bin 2; T4, T5 → bin 3.
    expect(c.tracks).toEqual([0, 1, 2, 2, 0]);
    expect(c.fakes).toEqual([0, 0, 0, 1, 0]);
    expect(c.duplicates).toEqual([0, 0, 1, 0, 0]);
    // η (pT > 1): P2 at η 0 → bin [0, 0.5) = index 8; P3 at η 1.2 → [1, 1.5) = index 10; both found.
    expect(c.etaReconstructable[8]).toBe(1);
    expect(c.etaReconstructable[10]).toBe(1);
    expect(c.etaReconstructed[8] + c.etaReconstructed[10]).toBe(2);
    expect(c.etaReconstructable.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('turns counts into rates, with pT > 1 and all rows', () => {
    const rates = trackingRates(countTracking(truth(), submission(), particles()));
    const all = rates.find((r) => r.ptBin === 'all')!;
    expect(all.efficiency).toBeCloseTo(3 / 4, 12);
    expect(all.efficiency5).toBe(1);
    expect(all.fakeRate).toBeCloseTo(1 / 5, 12);
    expect(all.duplicateRate).toBeCloseTo(1 / 5, 12);
    const pt1 = rates.find((r) => r.ptBin === '> 1')!;
    expect(pt1.particles).toBe(2);
    expect(pt1.efficiency).toBe(1);
    expect(pt1.tracks).toBe(4);
    expect(pt1.fakeRate).toBeCloseTo(1 / 4, 12);
    expect(pt1.duplicateRate).toBeCloseTo(1 / 4, 12);
    expect(Number.isNaN(rates.find((r) => r.ptBin === '≥ 5')!.efficiency)).toBe(true); // empty bin
  });

  it('falls back to the truth momentum when there is no particles file', () => {
    const t = truth();
    // Same pT as the particles file, set at every hit of each particle.
    const pt: Record<string, number> = { 1: 0.7, 2: 1.5, 3: 3, 4: 0.3 };
    t.particleId.forEach((p, r) => (t.tpx[r] = p === 0n ? 0 : pt[String(p)]));
    const c = countTracking(t, submission());
    expect(c.reconstructable[0]).toEqual([1, 1, 1, 1, 0]);
    expect(c.tracks).toEqual([0, 1, 2, 2, 0]);
  });
});
