// Per-event records: trusted only with the current format and key and when every output file still hashes to the
// recorded value — a file swapped for one of the same size, a missing output or another key means recompute.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cacheKey,
  digestInputs,
  inputHashes,
  readRecords,
  RECORD_FORMAT,
  trustedRecord,
  writeRecord,
  type RecordBase,
} from '../../src/core/cache.ts';
import { writeFileAtomic } from '../../src/core/fs.ts';
import { tempDir } from '../real-data.ts';

const dir = tempDir('trackml-cache-');

function commit(eventId: string, key: string, text: string): RecordBase {
  const name = `${eventId}-submission.csv`;
  const record: RecordBase = {
    format: RECORD_FORMAT,
    stage: 'pipeline',
    eventId,
    cacheKey: key,
    inputs: {},
    outputs: { [name]: writeFileAtomic(path.join(dir, name), text) },
  };
  writeRecord(dir, record);
  return record;
}

describe('per-event records', () => {
  it('are trusted for their key while their outputs are intact', () => {
    const rec = commit('event000000001', 'k1', 'hit_id,track_id\n1,1\n');
    expect(trustedRecord(dir, 'pipeline', 'event000000001', 'k1')).toEqual(rec);
    expect(trustedRecord(dir, 'pipeline', 'event000000001', 'k2')).toBeUndefined();
    expect(trustedRecord(dir, 'tracks', 'event000000001', 'k1')).toBeUndefined();
    expect(readRecords(dir, 'pipeline').map((r) => r.eventId)).toEqual(['event000000001']);
  });

  it('are not trusted when an output changed, even to the same size, or is gone', () => {
    commit('event000000002', 'k', 'hit_id,track_id\n1,1\n');
    writeFileSync(path.join(dir, 'event000000002-submission.csv'), 'hit_id,track_id\n1,2\n');
    expect(trustedRecord(dir, 'pipeline', 'event000000002', 'k')).toBeUndefined();
    commit('event000000003', 'k', 'x');
    writeFileSync(
      path.join(dir, 'event000000003-record.json'),
      JSON.stringify({ ...JSON.parse('{}'), format: 'trackml-gnn-record/2', cacheKey: 'k' }),
    );
    expect(trustedRecord(dir, 'pipeline', 'event000000003', 'k')).toBeUndefined();
  });

  it('keys see file contents, not names, sizes or times', () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    writeFileSync(a, '1,2,3\n');
    writeFileSync(b, '1,2,3\n');
    const key = (f: string) => cacheKey({ inputs: inputHashes(digestInputs({ hits: f })) });
    expect(key(a)).toBe(key(b));
    writeFileSync(b, '1,2,4\n');
    expect(key(a)).not.toBe(key(b));
    expect(() => digestInputs({ hits: path.join(dir, 'missing.csv') })).toThrow(/missing\.csv: file not found/);
  });
});
