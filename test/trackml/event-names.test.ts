// Event ids: nine digits, the whole range and nothing outside it (a bad event number is refused, never written as a
// malformed file name). Mutation testing found the bounds unchecked.
import { describe, expect, it } from 'vitest';
import { formatEventId } from '../../src/trackml/event-names.ts';

describe('formatEventId', () => {
  it('pads to nine digits over the whole range, ends included', () => {
    expect(formatEventId(0)).toBe('event000000000');
    expect(formatEventId(42)).toBe('event000000042');
    expect(formatEventId(999_999_999)).toBe('event999999999');
  });

  it.each([-1, 1_000_000_000, 1.5, -0.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d, naming it and the range', (n) => {
    expect(() => formatEventId(n)).toThrow(RangeError);
    expect(() => formatEventId(n)).toThrow(`event number ${n} is not an integer in 0..999999999`);
  });
});
