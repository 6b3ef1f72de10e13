import { describe, expect, it } from 'vitest';
import { MM_PER_GEV, ptGeVFromRadius, radiusMmFromPt, wrapPhi } from '../../src/geometry/helix-math.ts';

describe('wrapPhi', () => {
  it('leaves angles inside [−π, π) alone and maps the rest there, however far out', () => {
    expect(wrapPhi(0.5)).toBe(0.5);
    expect(wrapPhi(-Math.PI)).toBe(-Math.PI);
    expect(wrapPhi(Math.PI)).toBeCloseTo(-Math.PI, 15);
    expect(wrapPhi((3 * Math.PI) / 2)).toBeCloseTo(-Math.PI / 2, 15);
    expect(wrapPhi((-3 * Math.PI) / 2)).toBeCloseTo(Math.PI / 2, 15);
    expect(wrapPhi(0.25 + 6 * Math.PI)).toBeCloseTo(0.25, 12);
    expect(wrapPhi(0.25 - 10 * Math.PI)).toBeCloseTo(0.25, 12);
  });
  it('is the difference of two azimuths the short way round', () => {
    const a = Math.atan2(-0.01, -1); // just below −π… seen from +x: near π
    const b = Math.atan2(0.01, -1);
    expect(wrapPhi(b - a)).toBeCloseTo(-0.02, 4);
    expect(wrapPhi(a - b)).toBeCloseTo(0.02, 4);
  });
});

describe('pT ↔ radius', () => {
  it('gives R = pT / (0.3 B): 1 GeV in 2 T is 1.667 m, 1 GeV in 4 T half that', () => {
    expect(radiusMmFromPt(1)).toBeCloseTo(1666.667, 3);
    expect(MM_PER_GEV).toBe(radiusMmFromPt(1));
    expect(radiusMmFromPt(1, 4)).toBeCloseTo(833.333, 3);
    expect(radiusMmFromPt(0.12)).toBeCloseTo(200, 9);
  });
  it('inverts', () => {
    for (const pt of [0.1, 0.5, 1, 7.3]) expect(ptGeVFromRadius(radiusMmFromPt(pt))).toBeCloseTo(pt, 12);
    expect(ptGeVFromRadius(1000, 3.8)).toBeCloseTo(1.14, 12);
  });
});
