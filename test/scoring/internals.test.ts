// The scorer's building blocks on cases whose answer is known on paper (mutation testing found them untested): the
// 64-bit id grouping and its unsigned ranking when ids differ in both 32-bit halves, Neumaier summation where a plain
// sum loses everything, the majority rule, and scoreEvent's guards.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { groupIds64, rankGroupsUnsigned } from '../../scoring/dense-ids.ts';
import { CompensatedSum, majorityParticle, scoreEvent } from '../../scoring/score.ts';
import { makeSubmission, makeTruth } from './fixtures.ts';

describe('groupIds64 and rankGroupsUnsigned', () => {
  it('ranks by the high 32 bits first, then the low ones (unsigned)', () => {
    // 2^32 (high 1, low 0) is larger than 2^32 − 1 (high 0, low all ones) and than 5; 2^64 − 1 is the largest.
    const ids = new BigUint64Array([2n ** 32n, 5n, 2n ** 32n - 1n, 2n ** 64n - 1n, 5n, 2n ** 33n + 1n, 0n]);
    const groups = groupIds64(ids);
    expect(groups.groups).toBe(6);
    expect([...groups.groupOfRow]).toEqual([0, 1, 2, 3, 1, 4, 5]);
    expect([...groups.firstRow]).toEqual([0, 1, 2, 3, 5, 6]);
    expect([...rankGroupsUnsigned(ids, groups)]).toEqual([3, 1, 2, 5, 4, 0]);
  });

  it('groups many ids with colliding hashes and keeps them apart (probing)', () => {
    const n = 5000;
    const ids = BigUint64Array.from({ length: 2 * n }, (_, i) => BigInt(i % n) * 2n ** 40n + BigInt(i % 7));
    const groups = groupIds64(ids);
    const distinct = new Set(ids).size;
    expect(groups.groups).toBe(distinct);
    for (let i = 0; i < ids.length; i++) expect(ids[groups.firstRow[groups.groupOfRow[i]]]).toBe(ids[i]);
    const rank = rankGroupsUnsigned(ids, groups);
    const sorted = [...new Set(ids)].sort((a, b) => (a < b ? -1 : 1));
    for (let g = 0; g < groups.groups; g++) expect(sorted[rank[g]]).toBe(ids[groups.firstRow[g]]);
  });

  it('signed ids group on their raw bits', () => {
    const ids = new BigInt64Array([-1n, 1n, -1n, -(2n ** 63n)]);
    expect([...groupIds64(ids).groupOfRow]).toEqual([0, 1, 0, 2]);
  });
});

describe('CompensatedSum (Neumaier)', () => {
  const sum = (xs: number[]) => {
    const s = new CompensatedSum();
    for (const x of xs) s.add(x);
    return s.value();
  };
  it('keeps what a plain sum loses', () => {
    expect(1e100 + 1 - 1e100).toBe(0); // the plain sum
    expect(sum([1e100, 1, -1e100])).toBe(1);
    expect(sum([1, 1e100, 1, -1e100])).toBe(2);
    expect(sum([-1e100, 1, 1e100])).toBe(1);
    expect(sum(Array(10).fill(0.1))).toBe(1);
    expect(sum([])).toBe(0);
  });
});

describe('majorityParticle', () => {
  it('most hits wins; ties go to the smallest index, in any order', () => {
    const count = new Uint32Array([0, 2, 3, 3, 1]);
    expect(majorityParticle(new Int32Array([1, 2, 4]), 3, count)).toBe(2);
    expect(majorityParticle(new Int32Array([3, 2, 1]), 3, count)).toBe(2);
    expect(majorityParticle(new Int32Array([2, 3]), 2, count)).toBe(2);
    expect(majorityParticle(new Int32Array([4, 1]), 2, count)).toBe(1);
    expect(majorityParticle(new Int32Array([4, 1]), 1, count)).toBe(4); // only the first nTouched count
  });
});

describe('scoreEvent guards', () => {
  const truth = makeTruth([1, 2, 3], [7n, 7n, 8n], [0.5, 0.25, 0.25]);
  it('columns of different lengths are a programming error, not a user one', () => {
    expect(() => scoreEvent({ ...truth, weight: new Float64Array(2) }, makeSubmission([1, 2, 3], [1n, 1n, 2n]))).toThrow(
      'scoreEvent: truth columns have different lengths',
    );
    expect(() => scoreEvent({ ...truth, particleId: new BigUint64Array(4) }, makeSubmission([1, 2, 3], [1n, 1n, 2n]))).toThrow(
      'scoreEvent: truth columns have different lengths',
    );
    expect(() => scoreEvent(truth, { hitId: new Uint32Array([1, 2, 3]), trackId: new BigInt64Array(2) })).toThrow(
      'scoreEvent: submission columns have different lengths',
    );
  });

  it('an empty truth is the truth file’s error', () => {
    let err: unknown;
    try {
      scoreEvent(makeTruth([], [], []), makeSubmission([], []), { truthFile: 't.csv' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe('t.csv: truth has no hits; the score is undefined');
  });

  it('names the first missing truth hit when several are missing', () => {
    expect(() => scoreEvent(truth, makeSubmission([3], [1n]), { submissionFile: 's.csv' })).toThrow(
      's.csv: 2 truth hit(s) missing from the submission, e.g. hit_id 1',
    );
    expect(() => scoreEvent(truth, makeSubmission([1], [1n]), { submissionFile: 's.csv' })).toThrow('e.g. hit_id 2');
  });
});
