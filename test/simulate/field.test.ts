// The solenoid field (Biot–Savart of a current sheet) and propagation through it: Maxwell's equations and closed
// forms for the field, and hits of particles without material against a Runge–Kutta integration of the Lorentz
// force in the same field.
import { describe, expect, it } from 'vitest';
import { loopField, SolenoidField, solenoidField } from '../../src/geometry/index.ts';
import { simulateConfig } from '../../src/simulate/config.ts';
import { HitBuffer } from '../../src/simulate/hit-buffer.ts';
import { ParticleList } from '../../src/simulate/particle-list.ts';
import { Propagator } from '../../src/simulate/propagate.ts';
import { eventRng } from '../../src/simulate/rng.ts';
import { proceduralDetector } from './helpers.ts';

describe('field of a current loop', () => {
  it('is divergence- and curl-free and matches the on-axis formula', () => {
    const a = 1;
    const h = 1e-5;
    for (const [rho, z] of [
      [0.1, 0.3],
      [0.5, -0.4],
      [0.8, 1.2],
      [1.4, 0.2],
    ]) {
      const div =
        ((rho + h) * loopField(a, rho + h, z)[0] - (rho - h) * loopField(a, rho - h, z)[0]) / (2 * h * rho) +
        (loopField(a, rho, z + h)[1] - loopField(a, rho, z - h)[1]) / (2 * h);
      const curl =
        (loopField(a, rho, z + h)[0] - loopField(a, rho, z - h)[0]) / (2 * h) -
        (loopField(a, rho + h, z)[1] - loopField(a, rho - h, z)[1]) / (2 * h);
      expect(Math.abs(div)).toBeLessThan(1e-7);
      expect(Math.abs(curl)).toBeLessThan(1e-7);
    }
    // On the axis: Bz = (π/2) a² / (a² + z²)^{3/2} in units of μ0 I / π.
    expect(loopField(a, 0, 0.5)[1]).toBeCloseTo(Math.PI / 2 / Math.pow(1.25, 1.5), 12);
    // Field lines open away from the loop: Bρ > 0 above it, < 0 below.
    expect(loopField(a, 0.3, 0.4)[0]).toBeGreaterThan(0);
    expect(loopField(a, 0.3, -0.4)[0]).toBeLessThan(0);
  });
});

describe('solenoid field', () => {
  const a = 1300;
  const L = 2600;
  const f = new SolenoidField({ centralFieldT: 2, radiusMm: a, halfLengthMm: L });
  const b = new Float64Array(3);

  it('has the central field at the origin and the finite-sheet formula on the axis', () => {
    f.field(0, 0, 0, b);
    expect(b[2]).toBeCloseTo(2, 4);
    // Bz(0, z) ∝ (z + L)/√((z + L)² + a²) − (z − L)/√((z − L)² + a²).
    const onAxis = (z: number) => (z + L) / Math.hypot(z + L, a) - (z - L) / Math.hypot(z - L, a);
    for (const z of [800, 1700, 2600, 3100]) {
      f.field(0, 0, z, b);
      expect(b[2]).toBeCloseTo((2 * onAxis(z)) / onAxis(0), 3);
    }
  });

  it('is even in z for Bz, odd for Bρ, radial, and falls off at the coil ends', () => {
    const c = new Float64Array(3);
    f.field(300, 400, 2200, b);
    f.field(300, 400, -2200, c);
    expect(c[2]).toBeCloseTo(b[2], 9);
    expect(c[0]).toBeCloseTo(-b[0], 9);
    expect(b[0] / b[1]).toBeCloseTo(300 / 400, 9);
    expect(b[0]).toBeGreaterThan(0.05);
    expect(b[2]).toBeLessThan(1.7);
  });

  it('is uniform inside a very long coil, and exactly uniform without a coil', () => {
    const long = new SolenoidField({ centralFieldT: 2, radiusMm: 1200, halfLengthMm: 50_000 });
    long.field(900, 100, 2000, b);
    expect(b[2]).toBeCloseTo(2, 4);
    expect(Math.hypot(b[0], b[1])).toBeLessThan(1e-4);
    const uniform = solenoidField({ centralFieldT: 2, radiusMm: Infinity, halfLengthMm: Infinity });
    uniform.field(900, 100, 2900, b);
    expect([...b]).toEqual([0, 0, 2]);
  });
});

/** Runge–Kutta (4th order, 1 mm steps) of dx/ds = u, dp/ds = 0.3·q·u × B from the vertex to each hit's module plane. */
function rungeKuttaToPlane(field: SolenoidField, state: number[], q: number, centre: number[], normal: number[]): number[] {
  const b = new Float64Array(3);
  const deriv = (s: number[]): number[] => {
    const p = Math.hypot(s[3], s[4], s[5]);
    const u = [s[3] / p, s[4] / p, s[5] / p];
    field.field(s[0], s[1], s[2], b);
    const c = 0.3e-3 * q;
    return [u[0], u[1], u[2], c * (u[1] * b[2] - u[2] * b[1]), c * (u[2] * b[0] - u[0] * b[2]), c * (u[0] * b[1] - u[1] * b[0])];
  };
  const step = (s: number[], h: number): number[] => {
    const k1 = deriv(s);
    const k2 = deriv(s.map((v, i) => v + 0.5 * h * k1[i]));
    const k3 = deriv(s.map((v, i) => v + 0.5 * h * k2[i]));
    const k4 = deriv(s.map((v, i) => v + h * k3[i]));
    return s.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
  };
  const dist = (s: number[]) => (s[0] - centre[0]) * normal[0] + (s[1] - centre[1]) * normal[1] + (s[2] - centre[2]) * normal[2];
  let s = state;
  let d0 = dist(s);
  for (let i = 0; i < 20_000; i++) {
    const next = step(s, 1);
    const d1 = dist(next);
    if (d0 !== 0 && Math.sign(d1) !== Math.sign(d0)) return step(s, d0 / (d0 - d1));
    s = next;
    d0 = d1;
  }
  throw new Error('the Runge–Kutta track never reached the plane');
}

describe('propagation in the solenoid field', () => {
  it('puts hits within 0.5 mm of a Runge–Kutta track, and forward tracks mm to cm off the uniform-field helix', () => {
    const det = proceduralDetector();
    const config = simulateConfig({
      materialScale: 0,
      energyLoss: false,
      interactionScale: 0,
      passiveCylinders: [],
      hitEfficiency: 1,
      hitEfficiencyPerVolume: {},
      maxTurns: 2,
    });
    const field = solenoidField({
      centralFieldT: config.fieldT,
      radiusMm: config.solenoid!.radiusMm,
      halfLengthMm: config.solenoid!.halfLengthMm,
    });
    let worst = 0;
    let farthestFromHelix = 0;
    let stripDiskHits = 0;
    for (const [pt, eta, q] of [
      [0.5, 2.5, 1],
      [1, 3, -1],
      [0.3, 2.0, 1],
      [2, 1.0, -1],
      [0.7, 2.8, -1],
      [0.4, 3.3, 1],
    ]) {
      const list = new ParticleList();
      const hits = new HitBuffer();
      list.add(1n << 52n, 211 * q, q, 0.13957, 0, 0, 0, 0, pt, 0, pt * Math.sinh(eta));
      new Propagator(det, config, eventRng(1, 1), list, hits).propagate(0);
      expect(hits.length).toBeGreaterThan(8);
      let state = [0, 0, 0, pt, 0, pt * Math.sinh(eta)];
      for (let h = 0; h < hits.length; h++) {
        const m = hits.module[h];
        const centre = [det.centre[3 * m], det.centre[3 * m + 1], det.centre[3 * m + 2]];
        const normal = [det.axes[9 * m + 6], det.axes[9 * m + 7], det.axes[9 * m + 8]];
        state = rungeKuttaToPlane(field, state, q, centre, normal);
        worst = Math.max(worst, Math.hypot(state[0] - hits.tx[h], state[1] - hits.ty[h], state[2] - hits.tz[h]));
        if ([12, 14].includes(det.volumeId[m])) {
          stripDiskHits++;
          // Distance across from the 2 T helix of the vertex at the same z: R = pT / 0.6 m, clockwise for q > 0.
          const R = (pt / 0.6) * 1000;
          const turn = ((hits.tz[h] / (pt * Math.sinh(eta))) * pt) / R;
          const hx = (-R / q) * (Math.sin(-q * turn) - 0);
          const hy = (R / q) * (Math.cos(-q * turn) - 1);
          farthestFromHelix = Math.max(farthestFromHelix, Math.hypot(hits.tx[h] - hx, hits.ty[h] - hy));
        }
      }
    }
    expect(stripDiskHits).toBeGreaterThan(10);
    expect(worst).toBeLessThan(0.5);
    expect(farthestFromHelix).toBeGreaterThan(5);
  });
});
