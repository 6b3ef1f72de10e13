// Float text: shortest decimals that read back to the same float32/float64, in Python repr style.
import { describe, expect, it } from 'vitest';
import { formatFloat32, formatFloat32Slow, formatFloat64 } from '../../src/trackml/format-number.ts';

describe('formatFloat32', () => {
  it('writes the short text of the official files', () => {
    const cases: [number, string][] = [
      [-76.566, '-76.566'],
      [-1502.5, '-1502.5'],
      [-1498, '-1498.0'],
      [-536408, '-536408.0'],
      [0, '0.0'],
      [-0, '-0.0'],
      [0.1, '0.1'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [3.4e38, '3.4e+38'],
      [16777217, '16777216.0'], // 2^24 + 1 is not a float32
    ];
    for (const [v, text] of cases) expect(formatFloat32(Math.fround(v))).toBe(text);
  });

  it('round-trips arbitrary float32 bit patterns with at most 9 significant digits', () => {
    const f = new Float32Array(1);
    const bits = new Uint32Array(f.buffer);
    let state = 12345; // fixed LCG so the test is reproducible
    for (let i = 0; i < 20000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      bits[0] = state;
      const v = f[0];
      if (!Number.isFinite(v)) continue;
      const s = formatFloat32(v);
      expect(Object.is(Math.fround(Number(s)), v), `${s} for bits ${state.toString(16)}`).toBe(true);
      // Significant digits of the text: those of the decimal it denotes.
      const sigDigits = Number(s).toExponential().replace(/^-/, '').replace(/e.*$/, '').replace('.', '').length;
      expect(sigDigits).toBeLessThanOrEqual(9);
      // Same text as the brute-force scan over precisions with the engine's own decimal conversions.
      expect(s).toBe(formatFloat32Slow(v));
    }
  });

  it('refuses non-finite values (the readers could not read them back)', () => {
    expect(() => formatFloat32(NaN)).toThrow(/non-finite/);
    expect(() => formatFloat32(Infinity)).toThrow(/non-finite/);
  });
});

describe('formatFloat64', () => {
  it('keeps weights short and exact', () => {
    expect(formatFloat64(6.96929e-6)).toBe('6.96929e-06');
    expect(formatFloat64(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatFloat64(1e16)).toBe('1e+16');
    expect(formatFloat64(123.25)).toBe('123.25');
    expect(formatFloat64(5e-324)).toBe('5e-324');
  });
});
