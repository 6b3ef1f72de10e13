// hit id → row with gaps and any order, both the dense-table and the Map paths, the table's memory cap, duplicate
// rows, and checkHitsMatch: which file, line and hit id a mismatch between two files of an event names.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { denseTableFits, findDuplicateRows } from '../../src/trackml/hit-lookup.ts';
import { checkHitsMatch, hitRowLookup, readHits } from '../../src/trackml/index.ts';
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

describe('dense table memory cap', () => {
  it('a table up to 4 MiB (ids below 2^20) whatever the hit count, beyond that below 8 ids per hit', () => {
    expect(denseTableFits(2 ** 20 - 1, 1)).toBe(true);
    expect(denseTableFits(2 ** 20, 1)).toBe(false);
    expect(denseTableFits(2 ** 20, 0)).toBe(false);
    // 200 k hits (a full event is ~110 k): ids up to 1.6 M still in a table, 6.4 MB
    expect(denseTableFits(1_599_999, 200_000)).toBe(true);
    expect(denseTableFits(1_600_000, 200_000)).toBe(false);
    expect(denseTableFits(4_000_000_000, 5)).toBe(false);
  });

  it('ids just past the cap are still found (the Map path), duplicates too', () => {
    const ids = Uint32Array.from([2 ** 20, 7, 2 ** 20 + 1]);
    const rowOf = hitRowLookup(ids);
    expect([2 ** 20, 7, 2 ** 20 + 1, 8].map(rowOf)).toEqual([0, 1, 2, -1]);
    expect(findDuplicateRows(ids)).toBeUndefined();
    expect(findDuplicateRows(Uint32Array.from([2 ** 20, 7, 9, 7, 2 ** 20]))).toEqual([1, 3]);
  });
});

describe('findDuplicateRows', () => {
  it('the first repeated id with the row it repeats, in either path', () => {
    expect(findDuplicateRows(Uint32Array.from([5, 0, 9, 0, 5]))).toEqual([1, 3]);
    expect(findDuplicateRows(Uint32Array.from([0, 1, 2]))).toBeUndefined();
    expect(findDuplicateRows(new Uint32Array(0))).toBeUndefined();
    expect(findDuplicateRows(Uint32Array.from([4e9, 3, 4e9]))).toEqual([0, 2]);
  });
});

describe('checkHitsMatch (truth or graph nodes against the hits file)', () => {
  const hits = Uint32Array.from([10, 0, 30, 20]);
  const err = (ids: number[], all: boolean, csv = true): InputError => {
    try {
      checkHitsMatch(Uint32Array.from(ids), 'truth.csv', hits, 'hits.csv', all, csv);
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error('expected an InputError, got none');
  };

  it('accepts every hit in any order (all), or a subset (not all)', () => {
    expect(() => checkHitsMatch(Uint32Array.from([0, 20, 10, 30]), 'truth.csv', hits, 'hits.csv', true)).not.toThrow();
    expect(() => checkHitsMatch(Uint32Array.from([30, 0]), 'nodes.arrow', hits, 'hits.csv', false, false)).not.toThrow();
    expect(() => checkHitsMatch(new Uint32Array(0), 'nodes.arrow', hits, 'hits.csv', false, false)).not.toThrow();
  });

  it('a hit id not in the hits file: the CSV line (header = line 1), or the Arrow row', () => {
    const e = err([10, 0, 31, 20], true);
    expect([e.file, e.row]).toEqual(['truth.csv', 4]);
    expect(e.reason).toBe('hit_id 31 is not in hits.csv: the two files are from different events');
    const a = err([30, 5], false, false);
    expect([a.file, a.row]).toEqual(['truth.csv', undefined]);
    expect(a.reason).toBe('hit_id 5 (row 1) is not in hits.csv: the two files are from different events');
  });

  it('CSV line numbers unless told otherwise', () => {
    expect(() => checkHitsMatch(Uint32Array.from([10, 99]), 'truth.csv', hits, 'hits.csv', false)).toThrow(
      new InputError('truth.csv', 3, 'hit_id 99 is not in hits.csv: the two files are from different events'),
    );
  });

  it('a hit id twice names the second line', () => {
    const e = err([0, 20, 0, 10], true);
    expect([e.row, e.reason]).toEqual([4, 'hit_id 0 appears twice']);
    expect(err([20, 20], false, false).reason).toBe('hit_id 20 (row 1) appears twice');
  });

  it('with all, fewer rows than hits names the first hit missing', () => {
    const e = err([10, 0, 20], true);
    expect([e.file, e.row]).toEqual(['truth.csv', undefined]);
    expect(e.reason).toBe('3 rows for the 4 hits of hits.csv (hit_id 30 missing): the two files are from different events');
    expect(err([20], true).reason).toMatch(/^1 rows for the 4 hits of hits\.csv \(hit_id 10 missing\)/);
  });
});
