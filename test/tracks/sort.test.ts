import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.ts';
import { sortByKey } from '../../src/tracks/sort.ts';

describe('sortByKey', () => {
  it('orders like a stable comparator sort, ties by index, negative keys too', () => {
    const rnd = mulberry32(7);
    const n = 5000;
    // Few distinct values (many ties), tiny and huge ones, zero and +∞.
    const pool = [0, 1e-300, 0.25, 0.5, 1, 1.0000000000000002, 3.7, 1e12, Infinity, -Infinity, -1e-300, -0.5, -3, -Math.PI];
    const keys = Float64Array.from({ length: n }, () => (rnd() < 0.5 ? pool[Math.floor(rnd() * pool.length)] : (rnd() - 0.5) * 10));
    const expected = Array.from({ length: n }, (_, i) => i).sort((i, j) => keys[i] - keys[j] || i - j);
    expect(Array.from(sortByKey(keys, n))).toEqual(expected);
  });
  it('sorts only the first n keys', () => {
    expect(Array.from(sortByKey(Float64Array.from([3, 1, 2, 0]), 3))).toEqual([1, 2, 0]);
    expect(Array.from(sortByKey(new Float64Array(0), 0))).toEqual([]);
  });
});
