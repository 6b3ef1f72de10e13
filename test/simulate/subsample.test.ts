// Particle subsets like the real 5 % sample: whole particles kept with all their hits, noise thinned alike, ids
// renumbered, weights recomputed to sum 1.
import { describe, expect, it } from 'vitest';
import { simulateConfig } from '../../src/simulate/config.ts';
import { eventRng } from '../../src/simulate/rng.ts';
import { simulateEvent } from '../../src/simulate/simulate-event.ts';
import { subsampleEvent } from '../../src/simulate/subsample.ts';
import { proceduralDetector } from './helpers.ts';

describe('subsampleEvent', () => {
  it('keeps a share of the particles with every hit of theirs and the same share of noise', () => {
    const ev = simulateEvent(proceduralDetector(), simulateConfig({ pileup: 40 }), 5, 1);
    const sub = subsampleEvent(ev, 0.2, eventRng(1, 2));
    const n = sub.hits.hitId.length;
    expect(Array.from(sub.hits.hitId)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(Array.from(sub.truth!.hitId)).toEqual(Array.from(sub.hits.hitId));
    const hitsOf = (particleIds: BigUint64Array) => {
      const m = new Map<bigint, number>();
      for (const id of particleIds) if (id !== 0n) m.set(id, (m.get(id) ?? 0) + 1);
      return m;
    };
    const full = hitsOf(ev.truth.particleId);
    const kept = hitsOf(sub.truth!.particleId);
    const keptIds = new Set(sub.particles!.particleId);
    for (const [id, k] of kept) {
      expect(keptIds.has(id)).toBe(true);
      expect(k).toBe(full.get(id));
    }
    const share = sub.particles!.particleId.length / ev.particles.particleId.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    const noise = (ids: BigUint64Array) => ids.filter((id) => id === 0n).length;
    expect(noise(sub.truth!.particleId) / noise(ev.truth.particleId)).toBeGreaterThan(0.15);
    expect(noise(sub.truth!.particleId) / noise(ev.truth.particleId)).toBeLessThan(0.25);
    expect(sub.truth!.weight.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(sub.cells!.hitId.every((id) => id >= 1 && id <= n)).toBe(true);
  });
});
