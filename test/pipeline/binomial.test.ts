// Clopper–Pearson intervals: closed forms at k = 0 and k = n, coverage of the exact binomial tail sums in
// between (the interval's ends are where the tails equal α/2), and the incomplete beta against a sum it equals.
import { describe, expect, it } from 'vitest';
import { clopperPearson, incompleteBeta } from '../../src/pipeline/binomial.ts';

const choose = (n: number, k: number): number => {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
};
/** P(X ≥ k) for X ~ Binomial(n, p). */
const upperTail = (k: number, n: number, p: number): number => {
  let s = 0;
  for (let j = k; j <= n; j++) s += choose(n, j) * p ** j * (1 - p) ** (n - j);
  return s;
};

describe('clopperPearson', () => {
  const level = 0.6827;
  const alpha = (1 - level) / 2;

  it('k = 0 and k = n have closed forms', () => {
    for (const n of [1, 3, 10, 250]) {
      expect(clopperPearson(0, n, level)[0]).toBe(0);
      expect(clopperPearson(0, n, level)[1]).toBeCloseTo(1 - alpha ** (1 / n), 12);
      expect(clopperPearson(n, n, level)[0]).toBeCloseTo(alpha ** (1 / n), 12);
      expect(clopperPearson(n, n, level)[1]).toBe(1);
    }
  });

  it('ends are where the binomial tails equal α/2', () => {
    for (const [k, n] of [
      [1, 3],
      [3, 10],
      [47, 50],
      [97, 100],
    ]) {
      const [lo, hi] = clopperPearson(k, n, level);
      expect(upperTail(k, n, lo)).toBeCloseTo(alpha, 10);
      expect(1 - upperTail(k + 1, n, hi)).toBeCloseTo(alpha, 10);
      expect(lo).toBeLessThan(k / n);
      expect(hi).toBeGreaterThan(k / n);
    }
  });

  it('incomplete beta I_x(k, n − k + 1) equals the binomial tail P(X ≥ k)', () => {
    for (const [k, n, x] of [
      [2, 5, 0.3],
      [7, 9, 0.85],
      [1, 1, 0.4],
    ])
      expect(incompleteBeta(x, k, n - k + 1)).toBeCloseTo(upperTail(k, n, x), 12);
  });
});
