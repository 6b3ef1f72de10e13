// Kaggle's combined submission (event_id,hit_id,track_id for many events in one file): written and read back exactly
// (events interleaved in the file, 64-bit track ids, a file over the 1 MiB write chunk), recognised by its header
// only (BOM and CRLF allowed), and refused with file, line and reason for a repeated hit, a wrong header or a bad
// event id.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { COMBINED_HEADER, isCombinedSubmission, readCombinedSubmission, writeCombinedSubmission } from '../../src/trackml/index.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('combined-');
const sub = (hits: number[], tracks: bigint[]) => ({ hitId: Uint32Array.from(hits), trackId: BigInt64Array.from(tracks) });
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('combined submission', () => {
  it('writes events in order with the header and reads them back exactly, rows of an event anywhere in the file', () => {
    const f = path.join(dir, 'two.csv');
    writeCombinedSubmission(f, [
      { eventId: 'event000000012', submission: sub([3, 1, 2], [7n, 7n, 2n ** 40n]) },
      { eventId: 'event000000005', submission: sub([9], [0n]) },
    ]);
    expect(COMBINED_HEADER).toBe('event_id,hit_id,track_id');
    expect(readFileSync(f, 'utf8')).toBe('event_id,hit_id,track_id\n12,3,7\n12,1,7\n12,2,1099511627776\n5,9,0\n');
    const back = readCombinedSubmission(f);
    expect([...back.keys()]).toEqual(['event000000012', 'event000000005']);
    expect(back.get('event000000012')).toEqual(sub([3, 1, 2], [7n, 7n, 2n ** 40n]));
    expect(back.get('event000000005')).toEqual(sub([9], [0n]));

    const mixed = readCombinedSubmission(file('mixed.csv', 'event_id,hit_id,track_id\n2,1,10\n1,1,20\n2,2,11\n1,5,21\n'));
    expect([...mixed.keys()]).toEqual(['event000000002', 'event000000001']);
    expect(mixed.get('event000000002')).toEqual(sub([1, 2], [10n, 11n]));
    expect(mixed.get('event000000001')).toEqual(sub([1, 5], [20n, 21n]));
  });

  it('keeps every row of a file larger than one write chunk', () => {
    const n = 90_000; // ~1.3 MB of rows: a flushed chunk and a rest
    const hits = Array.from({ length: n }, (_, i) => i + 1);
    const tracks = hits.map((h) => BigInt(h % 977));
    const f = path.join(dir, 'big.csv');
    writeCombinedSubmission(f, [{ eventId: 'event000001000', submission: sub(hits, tracks) }]);
    const text = readFileSync(f, 'utf8');
    expect(text.length).toBeGreaterThan(1 << 20);
    expect(text.split('\n').length).toBe(n + 2);
    expect(readCombinedSubmission(f).get('event000001000')).toEqual(sub(hits, tracks));
  });

  it('is recognised by its header alone', () => {
    expect(isCombinedSubmission(file('a.csv', 'event_id,hit_id,track_id\n1,1,1\n'))).toBe(true);
    expect(isCombinedSubmission(file('b.csv', '\uFEFFevent_id,hit_id,track_id\r\n1,1,1\r\n'))).toBe(true);
    expect(isCombinedSubmission(file('c.csv', 'hit_id,track_id\n1,1\n'))).toBe(false);
    expect(isCombinedSubmission(file('d.csv', 'x,event_id,hit_id,track_id\n'))).toBe(false);
    expect(isCombinedSubmission(file('e.csv', 'event_id,hit_id,track_id,weight\n'))).toBe(false);
  });

  it('refuses a repeated hit of one event, a wrong header and a bad event id, naming the place', () => {
    const dup = file('dup.csv', 'event_id,hit_id,track_id\n1,4,1\n2,4,1\n1,5,1\n1,4,2\n');
    expect(() => readCombinedSubmission(dup)).toThrow(new InputError(dup, 5, 'hit_id 4 of event 1 repeats line 2'));
    // The columns in another order: refused (Kaggle's format is exact), not read by name.
    const swapped = file('swapped.csv', 'hit_id,event_id,track_id\n4,1,1\n');
    expect(() => readCombinedSubmission(swapped)).toThrow(/swapped\.csv:1: wrong header/);
    expect(readCombinedSubmission(file('one.csv', 'event_id,hit_id,track_id\n1,4,1\n')).size).toBe(1);
    for (const bad of ['event00000001', 'event0000000011', 'xevent000000001', 'evnt000000001']) {
      expect(() => writeCombinedSubmission(path.join(dir, 'bad.csv'), [{ eventId: bad, submission: sub([1], [1n]) }]), bad).toThrow(
        `not an event id: ${bad}`,
      );
    }
  });
});
