// Hand-computable physics pieces: helix radius and bending direction in 2 T, exact plane crossings,
// the Highland formula, and the random generator's basic properties.
import { describe, expect, it } from 'vitest';
import { radiusMmFromPt } from '../../src/geometry/helix-math.ts';
import { Helix } from '../../src/simulate/helix.ts';
import { highlandTheta0, scatterMomentum } from '../../src/simulate/material.ts';
import { eventRng, Rng } from '../../src/simulate/rng.ts';

describe('helix in a 2 T field along +z', () => {
  it('has R = pT / (0.3 B): 1 GeV → 1666.67 mm', () => {
    expect(radiusMmFromPt(1, 2)).toBeCloseTo(1000 / 0.6, 9);
    expect(radiusMmFromPt(0.3, 2)).toBeCloseTo(500, 9);
  });

  it('bends a positive charge clockwise and a negative one counter-clockwise (seen from +z)', () => {
    const h = new Helix();
    const out = new Float64Array(3);
    const R = 1000 / 0.6;
    // +1 charge leaving the origin along +x with pT = 1 GeV, pz = 0.5 GeV.
    h.set(0, 0, 0, 1, 0, 0.5, +1, 2);
    // A quarter turn later it points along −y from the centre (0, −R): at (R, −R), z = t · pz/pT.
    const quarter = (Math.PI / 2) * R;
    h.position(quarter, out);
    expect(out[0]).toBeCloseTo(R, 6);
    expect(out[1]).toBeCloseTo(-R, 6);
    expect(out[2]).toBeCloseTo(quarter * 0.5, 6);
    h.set(0, 0, 0, 1, 0, 0, -1, 2);
    h.position(quarter, out);
    expect(out[0]).toBeCloseTo(R, 6);
    expect(out[1]).toBeCloseTo(R, 6);
  });

  it('crosses a cylinder where the circle meets it: r = R√2 … chord geometry', () => {
    // Circle of radius R centred at (0, −R) through the origin meets r = ρ at angle 2·asin(ρ / 2R) of arc.
    const h = new Helix();
    h.set(0, 0, 0, 0.6, 0, 0, +1, 2); // R = 1000 mm
    const rho = 500;
    const t = h.nextCylinderCrossing(rho, -1, 1, 0, 1e9, 0);
    expect(t).toBeCloseTo(2 * 1000 * Math.asin(rho / 2000), 6);
    // Outward first; the inward crossing is the mirror point on the circle.
    const tIn = h.nextCylinderCrossing(rho, -1, 1, 0, 1e9, -1);
    expect(tIn).toBeCloseTo(2 * Math.PI * 1000 - t, 6);
    // A cylinder beyond the circle's reach (2R) is never crossed.
    expect(Number.isNaN(h.nextCylinderCrossing(2100, -1, 1, 0, 1e9, 0))).toBe(true);
  });

  it('solves the crossing with a tilted plane exactly', () => {
    const h = new Helix();
    h.set(0, 0, -50, 0.3, 0.4, 0.2, -1, 2);
    const out = new Float64Array(3);
    // Plane through (100, 120, 10) with a normal tilted away from radial.
    const n = [0.6, 0.7, 0.1];
    const len = Math.hypot(n[0], n[1], n[2]);
    const [nx, ny, nz] = n.map((x) => x / len);
    const t = h.planeIntersection(100, 120, 10, nx, ny, nz, 150, 0, 1000);
    h.position(t, out);
    expect(nx * (out[0] - 100) + ny * (out[1] - 120) + nz * (out[2] - 10)).toBeCloseTo(0, 6);
  });
});

describe('Highland multiple scattering', () => {
  it('matches the formula worked by hand', () => {
    // p = 1 GeV, m = 0 (β = 1), x/X0 = 0.01: 13.6 MeV · 0.1 · (1 + 0.038 ln 0.01) = 1.1220 mrad.
    expect(highlandTheta0(1, 0, 1, 0.01)).toBeCloseTo(0.0136 * 0.1 * (1 + 0.038 * Math.log(0.01)), 12);
    expect(highlandTheta0(1, 0, 1, 0.01) * 1000).toBeCloseTo(1.122, 3);
    // A 0.15 mm pixel module at normal incidence for a 0.5 GeV pion (β = 0.9637): ≈ 1.003 mrad.
    const beta = 0.5 / Math.hypot(0.5, 0.13957);
    const x = 0.15 / 93.7;
    const expected = (0.0136 / (beta * 0.5)) * Math.sqrt(x) * (1 + 0.038 * Math.log(x / (beta * beta)));
    expect(highlandTheta0(0.5, 0.13957, -1, x)).toBeCloseTo(expected, 12);
    expect(highlandTheta0(1, 0.1, 1, 0)).toBe(0);
  });

  it('deflects by the requested angle and keeps |p|', () => {
    const p = new Float64Array([0.3, -0.4, 1.2]);
    const before = Math.hypot(p[0], p[1], p[2]);
    const d0 = Array.from(p, (x) => x / before);
    scatterMomentum(p, 0.01, 1, 0); // one sigma in one plane
    const after = Math.hypot(p[0], p[1], p[2]);
    expect(after).toBeCloseTo(before, 12);
    const cos = (p[0] * d0[0] + p[1] * d0[1] + p[2] * d0[2]) / after;
    expect(Math.acos(cos)).toBeCloseTo(Math.atan(0.01), 6);
  });
});

describe('random streams', () => {
  it('are reproducible per (seed, event) and differ between events and seeds', () => {
    const a = eventRng(42, 7);
    const b = eventRng(42, 7);
    const seqA = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(seqA);
    const c = eventRng(42, 8);
    const d = eventRng(43, 7);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(seqA);
    expect(Array.from({ length: 5 }, () => d.nextU32())).not.toEqual(seqA);
  });

  it('gives uniform, normal and Poisson deviates with the right moments', () => {
    const r = new Rng(1, 2, 3, 4);
    const n = 20000;
    let su = 0;
    let sg = 0;
    let sg2 = 0;
    let sp = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      su += u;
      const g = r.gauss();
      sg += g;
      sg2 += g * g;
      sp += r.poisson(200);
    }
    expect(su / n).toBeCloseTo(0.5, 1);
    expect(Math.abs(sg / n)).toBeLessThan(0.03);
    expect(sg2 / n).toBeCloseTo(1, 1);
    expect(Math.abs(sp / n - 200)).toBeLessThan(0.5);
  });
});
