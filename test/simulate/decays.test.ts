// V0 decays: four-momentum conservation, the parent's invariant mass, and the mean decay length βγcτ.
import { describe, expect, it } from 'vitest';
import { decayV0, newV0Decay, V0_SPECIES } from '../../src/simulate/decays.ts';
import { eventRng } from '../../src/simulate/rng.ts';

describe('V0 decays', () => {
  it('conserve momentum, rebuild the parent mass and fly βγcτ on average', () => {
    const rng = eventRng(3, 7);
    const out = newV0Decay();
    const masses = new Map(V0_SPECIES.map((s) => [s.daughters[0][0] * 10 + s.daughters[1][0], s]));
    let flightOverExpected = 0;
    const n = 20_000;
    const pt = 0.8;
    const eta = 1.2;
    const phi = 0.7;
    for (let i = 0; i < n; i++) {
      decayV0(rng, 0, 0, 0, pt, eta, phi, out);
      const p = out.p;
      // Momentum of the pair equals the parent's.
      expect(p[0] + p[3]).toBeCloseTo(pt * Math.cos(phi), 9);
      expect(p[1] + p[4]).toBeCloseTo(pt * Math.sin(phi), 9);
      expect(p[2] + p[5]).toBeCloseTo(pt * Math.sinh(eta), 9);
      const species = masses.get(out.pdg[0] * 10 + out.pdg[1])!;
      const e = Math.hypot(p[0], p[1], p[2], out.massGeV[0]) + Math.hypot(p[3], p[4], p[5], out.massGeV[1]);
      const pSum = Math.hypot(p[0] + p[3], p[1] + p[4], p[2] + p[5]);
      expect(Math.sqrt(e * e - pSum * pSum)).toBeCloseTo(species.massGeV, 9);
      expect(out.q[0] + out.q[1]).toBe(0);
      // Along the parent's line of flight.
      const flight = Math.hypot(out.vx, out.vy, out.vz);
      expect(out.vz / flight).toBeCloseTo(Math.tanh(eta), 9);
      flightOverExpected += flight / ((pSum / species.massGeV) * species.ctauMm);
    }
    expect(flightOverExpected / n).toBeGreaterThan(0.97);
    expect(flightOverExpected / n).toBeLessThan(1.03);
  });
});
