// CSV text of columns (src/trackml/format-csv.ts): the header and rows in spec order, absent optional columns left
// out, a missing required column or a short column refused, floats as their shortest exact text, integral floats
// bare on request, and row order kept across the 4,096-row chunks the text is built in.
import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../src/trackml/csv.ts';
import { formatCsv, formatSubmission } from '../../src/trackml/format-csv.ts';

const SPECS: readonly ColumnSpec[] = [
  { name: 'id', kind: 'u32' },
  { name: 'kind', kind: 'i32', optional: true },
  { name: 'x', kind: 'f32' },
  { name: 'w', kind: 'f64' },
];

describe('formatCsv', () => {
  it('header and rows in spec order; an absent optional column is left out', () => {
    const id = Uint32Array.from([7, 3]);
    const x = Float32Array.from([0.1, -2]);
    const w = Float64Array.from([0.1, 36]);
    expect(formatCsv(SPECS, [id, Int32Array.from([-1, 13]), x, w])).toBe('id,kind,x,w\n7,-1,0.1,0.1\n3,13,-2.0,36.0\n');
    expect(formatCsv(SPECS, [id, undefined, x, w])).toBe('id,x,w\n7,0.1,0.1\n3,-2.0,36.0\n');
  });

  it('integral floats without ".0" on request (as the C++-written detectors.csv has them), integers unchanged', () => {
    const cols = [Uint32Array.from([10]), undefined, Float32Array.from([-2]), Float64Array.from([2.5])];
    expect(formatCsv(SPECS, cols, { bareIntegralFloats: true })).toBe('id,x,w\n10,-2,2.5\n');
  });

  it('a missing required column or a column of another length is a bug, named', () => {
    const x = Float32Array.from([1]);
    expect(() => formatCsv(SPECS, [Uint32Array.from([1]), undefined, undefined, Float64Array.from([1])])).toThrow(
      'formatCsv: required column x is missing',
    );
    expect(() => formatCsv(SPECS, [Uint32Array.from([1, 2]), undefined, x, Float64Array.from([1, 2])])).toThrow(
      'formatCsv: column x has 1 rows, expected 2',
    );
  });

  it('no rows: the header alone', () => {
    expect(formatCsv(SPECS, [new Uint32Array(0), undefined, new Float32Array(0), new Float64Array(0)])).toBe('id,x,w\n');
  });

  it('10,000 rows (past two chunk boundaries) come out whole and in order', () => {
    const n = 10_000;
    const hitId = Uint32Array.from({ length: n }, (_, i) => i + 1);
    const trackId = BigInt64Array.from({ length: n }, (_, i) => BigInt(n - i));
    const lines = formatSubmission({ hitId, trackId }).split('\n');
    expect(lines.length).toBe(n + 2);
    expect(lines[0]).toBe('hit_id,track_id');
    expect(lines[4096]).toBe(`4096,${n - 4095}`);
    expect(lines[4097]).toBe(`4097,${n - 4096}`);
    expect(lines[n]).toBe(`${n},1`);
    expect(lines[n + 1]).toBe('');
  });
});
