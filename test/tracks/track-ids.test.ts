import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.ts';
import { rowsOfTracks, trackRowsBy, trackSizes } from '../../src/tracks/track-ids.ts';

describe('trackRowsBy', () => {
  it('groups like rowsOfTracks and orders each track like a stable sort by key (ties by row)', () => {
    const rnd = mulberry32(11);
    const n = 4000;
    // Ids from a small range (tracks of 1 to ~40 hits), keys with many ties.
    const ids = Int32Array.from({ length: n }, () => 1 + Math.floor(rnd() * 300));
    const key = Float64Array.from({ length: n }, () => (rnd() < 0.3 ? Math.floor(rnd() * 4) : rnd() * 100));
    const size = trackSizes(ids);
    for (const minHits of [1, 3, 15]) {
      const expected = rowsOfTracks(ids, size, minHits).map((rows) => rows.sort((a, b) => key[a] - key[b]));
      const got = trackRowsBy(ids, size, minHits, key);
      expect(got.count).toBe(expected.length);
      const tracks = Array.from({ length: got.count }, (_, t) => Array.from(got.rows.subarray(got.start[t], got.start[t + 1])));
      expect(tracks).toEqual(expected);
    }
  });
  it('has no track when none is long enough', () => {
    const ids = Int32Array.from([1, 2, 3]);
    const got = trackRowsBy(ids, trackSizes(ids), 2, new Float64Array(3));
    expect(got.count).toBe(0);
    expect(got.rows.length).toBe(0);
  });
});
