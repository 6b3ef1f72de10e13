// The byte-level parser on hand-written inputs whose values are known on paper: number syntax, line endings,
// 64-bit ids beyond 2^53, signed 64-bit extremes, optional columns and header order.
import { describe, expect, it } from 'vitest';
import { type ColumnSpec, parseCsv } from '../../src/trackml/csv.ts';

const enc = (s: string) => Buffer.from(s, 'latin1');

describe('parseCsv numbers', () => {
  const specs: ColumnSpec[] = [
    { name: 'a', kind: 'f64' },
    { name: 'b', kind: 'f32' },
    { name: 'c', kind: 'i32' },
  ];

  it('reads decimals, exponents and signs exactly like Number()', () => {
    const texts = [
      '1e-05',
      '-5.36408e+05',
      '6.96929e-06',
      '+3.5',
      '-0.0',
      '1502.5',
      '.5',
      '5.',
      '1E3',
      '0.1',
      '123456789012345678',
      '1.7976931348623157e308',
      '4.9e-324',
      '0.30000000000000004',
    ];
    // The float32 column gets the largest float32 where the double is beyond it (refused there: limits.test.ts).
    const f32Text = (t: string) => (Math.abs(Number(t)) > 3.4028234663852886e38 ? '3.4028234663852886e38' : t);
    const text = 'a,b,c\n' + texts.map((t) => `${t},${f32Text(t)},1`).join('\n') + '\n';
    const { rowCount, columns } = parseCsv('t.csv', enc(text), specs);
    expect(rowCount).toBe(texts.length);
    texts.forEach((t, i) => {
      expect(Object.is((columns[0] as Float64Array)[i], Number(t)), t).toBe(true);
      expect(Object.is((columns[1] as Float32Array)[i], Math.fround(Number(f32Text(t)))), t).toBe(true);
    });
  });

  it('handles \\r\\n, a missing final newline and blank trailing lines', () => {
    for (const text of ['a,b,c\r\n1,2,3\r\n4,5,-6\r\n', 'a,b,c\n1,2,3\n4,5,-6', 'a,b,c\n1,2,3\n4,5,-6\n\n\n', 'a,b,c\r\n1,2,3\r\n4,5,-6']) {
      const { rowCount, columns } = parseCsv('t.csv', enc(text), specs);
      expect(rowCount).toBe(2);
      expect([...(columns[2] as Int32Array)]).toEqual([3, -6]);
      expect([...(columns[1] as Float32Array)]).toEqual([2, 5]);
    }
  });

  it('header only gives zero rows', () => {
    expect(parseCsv('t.csv', enc('a,b,c\n'), specs).rowCount).toBe(0);
    expect(parseCsv('t.csv', enc('a,b,c'), specs).rowCount).toBe(0);
  });

  it('accepts columns in any order and leaves absent optional columns undefined', () => {
    const s: ColumnSpec[] = [
      { name: 'x', kind: 'u8' },
      { name: 't', kind: 'i32', optional: true },
      { name: 'y', kind: 'u16' },
    ];
    const r = parseCsv('t.csv', enc('y,x\n300,7\n1,255\n'), s);
    expect([...(r.columns[0] as Uint8Array)]).toEqual([7, 255]);
    expect(r.columns[1]).toBeUndefined();
    expect([...(r.columns[2] as Uint16Array)]).toEqual([300, 1]);
  });
});

describe('parseCsv 64-bit integers', () => {
  it('keeps unsigned ids above 2^53 exact, even when they differ only in the last bit', () => {
    const ids = [
      0n,
      1n,
      2n ** 53n,
      2n ** 53n + 1n,
      621497641930326016n,
      621497641930326017n,
      2n ** 64n - 1n,
      2n ** 64n - 2n,
      4294967296n,
      4294967295n,
    ];
    const text = 'id\n' + ids.join('\n') + '\n';
    const col = parseCsv('t.csv', enc(text), [{ name: 'id', kind: 'u64' }]).columns[0] as BigUint64Array;
    expect([...col]).toEqual(ids);
  });

  it('reads signed 64-bit extremes and negatives in two’s complement', () => {
    const ids = [-(2n ** 63n), 2n ** 63n - 1n, -1n, -4294967296n, -4294967297n, -123456789012345678n, 0n, -0n];
    const text = 'v\n' + ids.join('\n') + '\n';
    const col = parseCsv('t.csv', enc(text), [{ name: 'v', kind: 'i64' }]).columns[0] as BigInt64Array;
    expect([...col]).toEqual(ids);
  });

  it('accepts leading zeros', () => {
    const col = parseCsv('t.csv', enc('v\n000000000000000000000042\n'), [{ name: 'v', kind: 'u64' }]).columns[0] as BigUint64Array;
    expect(col[0]).toBe(42n);
  });
});

describe('parseCsv skipColumns (what the scorer reads of truth)', () => {
  const specs: ColumnSpec[] = [
    { name: 'id', kind: 'u32' },
    { name: 'x', kind: 'f32' },
    { name: 'w', kind: 'f64' },
  ];

  it('leaves skipped columns undefined and reads the others as a full parse does, in any column order', () => {
    const text = 'x,id,w\n-1.5e+02,7,0.25\r\n3,8,1e-3\n.5,9,2\n';
    const full = parseCsv('t.csv', enc(text), specs);
    const part = parseCsv('t.csv', enc(text), specs, { skipColumns: ['x'] });
    expect(part.rowCount).toBe(3);
    expect(part.columns[1]).toBeUndefined();
    expect([...(part.columns[0] as Uint32Array)]).toEqual([7, 8, 9]);
    expect([...(part.columns[0] as Uint32Array)]).toEqual([...(full.columns[0] as Uint32Array)]);
    expect([...(part.columns[2] as Float64Array)]).toEqual([0.25, 0.001, 2]);
  });

  it('still refuses a skipped column that is missing, empty, not number-like, or a row with too few fields', () => {
    const err = (text: string) => {
      try {
        parseCsv('t.csv', enc(text), specs, { skipColumns: ['x'] });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err('id,w\n1,2\n')).toMatch(/missing column "x"/);
    expect(err('id,x,w\n1,2,3\n2,,3\n')).toBe('t.csv:3: column "x": empty value');
    expect(err('id,x,w\n1,abc,3\n')).toBe('t.csv:2: column "x": "abc" is not a number');
    expect(err('id,w,x\n1,3\n')).toBe('t.csv:2: expected 3 fields, found 2');
    expect(err('id,w,x\n1,3,4,5\n')).toBe('t.csv:2: expected 3 fields, found 4');
    expect(err('id,w,x\n1,3,4\r5\n')).toBe('t.csv:2: stray carriage return');
  });
});
