// hit id → row with gaps and any order, both the dense-table and the Map paths.
import { describe, expect, it } from 'vitest';
import { hitRowLookup, readHits } from '../../src/trackml/index.ts';
import { itRealData, sampleEventFile } from './helpers.ts';

describe('hitRowLookup', () => {
  it('maps ids with gaps in any order (dense table)', () => {
    const rowOf = hitRowLookup(Uint32Array.from([31, 6, 9, 1000, 0]));
    expect([31, 6, 9, 1000, 0].map(rowOf)).toEqual([0, 1, 2, 3, 4]);
    for (const absent of [1, 7, 999, 1001, 5_000_000, -1]) expect(rowOf(absent)).toBe(-1);
  });

  it('maps huge sparse ids (Map path)', () => {
    const ids = [4_000_000_000, 3, 2_000_000_000];
    const rowOf = hitRowLookup(Uint32Array.from(ids));
    expect(ids.map(rowOf)).toEqual([0, 1, 2]);
    expect(rowOf(4)).toBe(-1);
    expect(rowOf(4_000_000_001)).toBe(-1);
  });

  it('an empty list finds nothing', () => {
    expect(hitRowLookup(new Uint32Array(0))(0)).toBe(-1);
  });

  it('rejects duplicate ids (the readers never produce them)', () => {
    expect(() => hitRowLookup(Uint32Array.from([3, 4, 3]))).toThrow(/duplicate hit id 3/);
    expect(() => hitRowLookup(Uint32Array.from([4_000_000_000, 4_000_000_000]))).toThrow(/duplicate/);
  });

  itRealData('inverts the real sample’s hit ids', () => {
    const { hitId } = readHits(sampleEventFile('hits'));
    const rowOf = hitRowLookup(hitId);
    for (let i = 0; i < hitId.length; i++) expect(rowOf(hitId[i])).toBe(i);
  });
});
