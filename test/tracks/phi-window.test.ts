import { describe, expect, it } from 'vitest';
import { APPROX_ATAN2_MAX_ERR, approxAtan2 } from '../../src/tracks/phi-window.ts';

describe('approxAtan2', () => {
  it('stays within APPROX_ATAN2_MAX_ERR of Math.atan2 in every octant, at least 5× inside it', () => {
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const a = -Math.PI + (2 * Math.PI * (i + 0.5)) / 200_000;
      const r = 0.001 + (i % 97) * 13.7;
      const y = r * Math.sin(a);
      const x = r * Math.cos(a);
      let d = Math.abs(approxAtan2(y, x) - Math.atan2(y, x));
      if (d > Math.PI) d = 2 * Math.PI - d; // ±π: the same direction
      worst = Math.max(worst, d);
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(APPROX_ATAN2_MAX_ERR / 5);
  });

  it('gives the axes and the diagonals', () => {
    expect(approxAtan2(0, 1)).toBe(0);
    expect(approxAtan2(1, 0)).toBeCloseTo(Math.PI / 2, 12);
    expect(approxAtan2(-1, 0)).toBeCloseTo(-Math.PI / 2, 12);
    expect(approxAtan2(0, -1)).toBeCloseTo(Math.PI, 12);
    expect(Math.abs(approxAtan2(1, 1) - Math.PI / 4)).toBeLessThan(APPROX_ATAN2_MAX_ERR);
    expect(Math.abs(approxAtan2(-2, -2) + (3 * Math.PI) / 4)).toBeLessThan(APPROX_ATAN2_MAX_ERR);
  });
});
