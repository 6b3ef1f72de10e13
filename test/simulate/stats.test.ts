// eventStatistics on a hand-made event (every figure computable on paper) and on the real sample event
// (whose counts are documented: 5,527 hits, 548 particles, 829 noise hits).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventStatistics } from '../../src/simulate/stats.ts';
import { encodeParticleId, findEvents, readEvent } from '../../src/trackml/index.ts';
import type { TrackmlEvent } from '../../src/trackml/types.ts';
import { itRealData, realDataDir } from './helpers.ts';

describe('eventStatistics', () => {
  it('computes the figures of a hand-made event', () => {
    const a = encodeParticleId({ vertexId: 1, primaryId: 1, generation: 0, secondaryId: 0, process: 0 });
    const b = encodeParticleId({ vertexId: 1, primaryId: 1, generation: 1, secondaryId: 1, process: 2 });
    const c = encodeParticleId({ vertexId: 2, primaryId: 3, generation: 0, secondaryId: 0, process: 0 });
    // Hits: a has 3 (two on 8/2, one on 8/4, 10 mm apart in x), b has 1, noise 1 on 13/2.
    const ev: TrackmlEvent = {
      eventId: 'event000000001',
      hits: {
        hitId: Uint32Array.from([1, 2, 3, 4, 5]),
        x: Float32Array.from([10, 20, 30, 40, 50]),
        y: new Float32Array(5),
        z: Float32Array.from([0, 0, 0.5, 0, 0]),
        volumeId: Uint8Array.from([8, 8, 8, 8, 13]),
        layerId: Uint8Array.from([2, 2, 4, 6, 2]),
        moduleId: Uint16Array.from([1, 2, 3, 4, 5]),
      },
      particles: {
        particleId: BigUint64Array.from([a, b, c]),
        particleType: Int32Array.from([211, 2212, -211]),
        vx: new Float32Array(3),
        vy: new Float32Array(3),
        vz: new Float32Array(3),
        px: Float32Array.from([2, 0.3, 0.5]),
        py: new Float32Array(3),
        pz: Float32Array.from([0, 0, 0]),
        q: Int8Array.from([1, 1, -1]),
        nhits: Uint16Array.from([3, 1, 0]),
      },
      truth: {
        hitId: Uint32Array.from([1, 2, 3, 4, 5]),
        particleId: BigUint64Array.from([a, a, a, b, 0n]),
        tx: Float32Array.from([10, 20, 30, 40, 50]),
        ty: new Float32Array(5),
        tz: Float32Array.from([0, 1, 2, 0, 0]), // a's hits are 10 mm apart in x and 1 mm in z
        tpx: Float32Array.from([2, 2, 1.998, 0.3, 0]),
        tpy: new Float32Array(5),
        tpz: new Float32Array(5),
        weight: new Float64Array(5),
      },
    };
    const s = eventStatistics(ev);
    expect(s.nHits).toBe(5);
    expect(s.nParticles).toBe(3);
    expect(s.noiseFraction).toBeCloseTo(0.2, 12);
    expect(s.volumeShare).toEqual({ 8: 0.8, 13: 0.2 });
    expect(s.noiseVolumeShare).toEqual({ 13: 1 });
    expect(s.zeroHitFraction).toBeCloseTo(1 / 3, 12);
    expect(s.atLeast4HitsFraction).toBe(0);
    expect(s.meanHitsPerParticle).toBeCloseTo(4 / 3, 12);
    expect(s.meanHitsPerParticleWithHits).toBeCloseTo(2, 12);
    expect(s.secondaryFraction).toBeCloseTo(1 / 3, 12);
    expect(s.ptMedianGeV).toBeCloseTo(0.5, 6);
    expect(s.ptAbove1GeVFraction).toBeCloseTo(1 / 3, 12);
    expect(s.absEtaMedian).toBe(0);
    expect(s.duplicateLayerFraction).toBe(1); // the only particle with ≥ 2 hits has two on 8/2
    expect(s.consecutiveHitDistanceMedianMm).toBeCloseTo(Math.hypot(10, 1), 5);
    expect(s.momentumLossPerStepMedianMeV).toBeCloseTo(1, 3); // 0 then 2 MeV
    // |Δz| in volume 8: a's 0, 1, 1.5 and b's 0 → median of (0, 0, 1, 1.5) = 0.5; transverse all 0.
    expect(s.residualMedianMm[8].dz).toBeCloseTo(0.5, 6);
    expect(s.residualMedianMm[8].transverse).toBe(0);
  });

  itRealData('matches the documented counts of the real sample event', () => {
    const s = eventStatistics(readEvent(findEvents(path.join(realDataDir(), 'sample-event'))[0]));
    expect(s.nHits).toBe(5527);
    expect(s.nParticles).toBe(548);
    expect(s.noiseFraction).toBeCloseTo(829 / 5527, 12);
    expect(s.meanHitsPerParticle).toBeCloseTo((5527 - 829) / 548, 12);
    expect(Object.values(s.volumeShare).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
  });
});
