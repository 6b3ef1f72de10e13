// Track parameters from hits: points on exact helices of known pT, charge, direction and vertex come back as
// those parameters (within the fit's rounding), with two hits as well as many, and a straight line has q/p = 0.
import { describe, expect, it } from 'vitest';
import { Helix } from '../../src/simulate/helix.ts';
import { trackParams } from '../../src/tracks/track-params.ts';

function helixHits(pt: number, phi: number, eta: number, q: number, z0: number, radii: number[]) {
  const h = new Helix();
  h.set(0, 0, z0, pt * Math.cos(phi), pt * Math.sin(phi), pt * Math.sinh(eta), q, 2);
  const out = new Float64Array(3);
  const x: number[] = [],
    y: number[] = [],
    z: number[] = [];
  for (const r of radii) {
    // Transverse path to cylinder radius r from the origin: r = 2R sin(t / 2R).
    const R = Math.abs(1 / h.omega);
    h.position(2 * R * Math.asin(r / (2 * R)), out);
    x.push(out[0]);
    y.push(out[1]);
    z.push(out[2]);
  }
  return { x, y, z };
}

describe('trackParams', () => {
  it.each([
    [1.0, 0.3, 0.5, 1, 12],
    [0.45, -2.8, -1.8, -1, -40],
    [8.0, 1.9, 2.6, 1, 3],
  ])('pT %f GeV, φ %f, η %f, q %i, z0 %f from 10 hits', (pt, phi, eta, q, z0) => {
    const { x, y, z } = helixHits(pt, phi, eta, q, z0, [32, 72, 116, 172, 260, 360, 500, 660, 820, 1020]);
    const p = trackParams(x, y, z);
    expect(p.charge).toBe(q);
    expect(p.ptGeV).toBeCloseTo(pt, 6);
    expect(p.eta).toBeCloseTo(eta, 6);
    expect(p.phi).toBeCloseTo(phi, 6);
    expect(p.z0).toBeCloseTo(z0, 4);
    expect(Math.abs(p.d0)).toBeLessThan(1e-6);
    expect(p.qOverP).toBeCloseTo(q / (pt * Math.cosh(eta) * 1000), 10);
    expect(p.theta).toBeCloseTo(2 * Math.atan(Math.exp(-eta)), 6);
  });

  it('two hits: the beam line joins the circle fit, so pT and charge still come out', () => {
    const { x, y, z } = helixHits(0.8, 1.1, 0.2, -1, 0, [72, 172]);
    const p = trackParams(x, y, z);
    expect(p.charge).toBe(-1);
    expect(p.ptGeV).toBeCloseTo(0.8, 5);
    expect(p.perigee.map((v) => Math.abs(v) < 1e-3)).toEqual([true, true, true]);
  });

  it('hits on a straight line: q/p = 0, direction from the hits', () => {
    const p = trackParams([10, 20, 30], [10, 20, 30], [5, 10, 15]);
    expect(p.qOverP).toBe(0);
    expect(p.charge).toBe(0);
    expect(p.phi).toBeCloseTo(Math.PI / 4, 12);
  });
});
