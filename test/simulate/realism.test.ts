// Realism figures on hand-made events whose answers can be worked out on paper: the score-weight share of particles
// born beyond r = 30 mm from a particles file alone, and the scattering seen from hit positions (r–z chord bends).
import { describe, expect, it } from 'vitest';
import { particleFigures } from '../../src/simulate/realism.ts';
import { truthFigures } from '../../src/simulate/realism-truth.ts';
import { encodeParticleId } from '../../src/trackml/index.ts';
import { allocHits, allocTruth, type Particles } from '../../src/trackml/types.ts';
import { proceduralDetector } from './helpers.ts';

/** Particles: [vertex r (mm), pT (GeV), nhits, generation]. */
function particles(rows: [number, number, number, number][]): Particles {
  const n = rows.length;
  const p: Particles = {
    particleId: new BigUint64Array(n),
    particleType: undefined,
    vx: new Float32Array(n),
    vy: new Float32Array(n),
    vz: new Float32Array(n),
    px: new Float32Array(n),
    py: new Float32Array(n),
    pz: new Float32Array(n),
    q: new Int8Array(n).fill(1),
    nhits: new Uint16Array(n),
  };
  rows.forEach(([r, pt, nh, gen], i) => {
    p.particleId[i] = encodeParticleId({ vertexId: 1, primaryId: i + 1, generation: gen, secondaryId: gen > 0 ? 1 : 0, process: 0 });
    p.vx[i] = r;
    p.px[i] = pt;
    p.nhits[i] = nh;
  });
  return p;
}

describe('realism figures', () => {
  it('weighs the particles born beyond 30 mm by their pT weight, counting only primaries with 4 or more hits', () => {
    const f = particleFigures(
      particles([
        [0, 2, 10, 0], // prompt: pT weight 0.2 + 0.8 · 1.5 / 2.5 = 0.68
        [50, 0.4, 5, 0], // displaced beyond 30 mm: 0.2
        [50, 1, 3, 0], // beyond 30 mm but 3 hits: weighs nothing
        [10, 3, 8, 0], // displaced inside 30 mm: 1
        [100, 3, 12, 1], // a secondary: weighs nothing, not even in the total
      ]),
    );
    expect(f['particles.weightShare.displacedBeyond30mm'].value).toBeCloseTo(0.2 / (0.68 + 0.2 + 1), 6);
    expect(f['particles.displacedBeyond30mm'].value).toBe(2);
  });

  it('measures the r–z chord bend between consecutive barrel hits times the momentum', () => {
    // One 2 GeV particle (pz = 0 at first) through three pixel-barrel layers at r = 32, 72, 116 mm on a straight line
    // in x (the 2 T helix arc of a 40 mm chord at R = 3.33 m is 40.0006 mm, negligible here): the chord rises
    // 0 mm then 4.4 mm in z over 44 mm of r, a bend of atan(0.1) = 99.67 mrad, times p = 2 GeV: 199.3 mrad·GeV.
    const r = [32, 72, 116];
    const z = [0, 0, 4.4];
    const hits = allocHits(3);
    const truth = allocTruth(3);
    const id = encodeParticleId({ vertexId: 1, primaryId: 1, generation: 0, secondaryId: 0, process: 0 });
    for (let h = 0; h < 3; h++) {
      hits.hitId[h] = truth.hitId[h] = h + 1;
      hits.x[h] = truth.tx[h] = r[h];
      hits.z[h] = truth.tz[h] = z[h];
      hits.volumeId[h] = 8;
      hits.layerId[h] = 2 + 2 * h;
      truth.particleId[h] = id;
      truth.tpx[h] = 2;
    }
    const p = particles([[0, 2, 3, 0]]);
    p.particleId[0] = id;
    const f = truthFigures({ eventId: 'event000000001', hits, truth, particles: p }, proceduralDetector());
    expect(f['scatter.chordBend.8.p50'].value).toBeCloseTo(Math.atan(0.1) * 2000, 1);
    // Three hits make one bend; a particle with hits in two volumes makes none across them.
    hits.volumeId[2] = 13;
    const g = truthFigures({ eventId: 'event000000001', hits, truth, particles: p }, proceduralDetector());
    expect(g['scatter.chordBend.8.p50']).toBeUndefined();
  });

  it('sees no bend along an unscattered 2 T helix, though its r–z chords bend', () => {
    // pT 0.6 GeV (R = 1 m), pz = pT: z equals the transverse arc s. Hits at s = 40, 100, 170 mm.
    const R = 1000;
    const s = [40, 100, 170];
    const hits = allocHits(3);
    const truth = allocTruth(3);
    const id = encodeParticleId({ vertexId: 1, primaryId: 1, generation: 0, secondaryId: 0, process: 0 });
    for (let h = 0; h < 3; h++) {
      const a = s[h] / R;
      hits.hitId[h] = truth.hitId[h] = h + 1;
      hits.x[h] = truth.tx[h] = R * Math.sin(a);
      hits.y[h] = truth.ty[h] = R * (1 - Math.cos(a));
      hits.z[h] = truth.tz[h] = s[h];
      hits.volumeId[h] = 8;
      hits.layerId[h] = 2 + 2 * h;
      truth.particleId[h] = id;
      truth.tpx[h] = 0.6 * Math.cos(a);
      truth.tpy[h] = 0.6 * Math.sin(a);
      truth.tpz[h] = 0.6;
    }
    const p = particles([[0, 0.6, 3, 0]]);
    p.particleId[0] = id;
    p.pz[0] = 0.6;
    const f = truthFigures({ eventId: 'event000000001', hits, truth, particles: p }, proceduralDetector());
    // Against s the bend is 1e-4 mrad·GeV (float32 positions); against r the chords bend by 0.71 mrad·GeV, two thirds
    // of the real pixel barrel's median scattering figure (1.07), so the figure must use the arc.
    expect(f['scatter.chordBend.8.p50'].value).toBeLessThan(0.01);
    const r = (h: number) => Math.hypot(hits.x[h], hits.y[h]);
    const rzBend = Math.atan2(s[2] - s[1], r(2) - r(1)) - Math.atan2(s[1] - s[0], r(1) - r(0));
    expect(Math.abs(rzBend) * 0.6 * Math.SQRT2 * 1000).toBeGreaterThan(0.5);
  });
});
