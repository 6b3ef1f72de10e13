// The trackml layer's edges, where a one-character slip changes a result without breaking a round trip: the
// detector's reach at exactly its limits, particle-id fields at their full width and the sign limits, writers that
// gzip by the output name (and at the fast level they document), in-memory reads that never touch the disk, the
// detectors writer's shape check, and the zero-filled column allocators builders fill in place.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  allocHits,
  allocTruth,
  decodeParticleId,
  DETECTOR_MAX_XY_MM,
  DETECTOR_MAX_Z_MM,
  encodeParticleId,
  encodeSubmission,
  insideDetector,
  readHits,
  writeDetectors,
  writeHits,
  writeSubmission,
} from '../../src/trackml/index.ts';
import type { Detectors } from '../../src/trackml/types.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('trackml-edges-');
const sub = { hitId: Uint32Array.from([1, 2]), trackId: BigInt64Array.from([5n, 6n]) };

describe('trackml edges', () => {
  it('takes positions exactly at the detector reach and refuses them just beyond, on each axis', () => {
    const [r, z] = [DETECTOR_MAX_XY_MM, DETECTOR_MAX_Z_MM];
    expect([r, z]).toEqual([1200, 3200]);
    expect(insideDetector(r, -r, z)).toBe(true);
    expect(insideDetector(-r, r, -z)).toBe(true);
    const beyond = (v: number) => v * (1 + 1e-9);
    expect(insideDetector(beyond(r), 0, 0)).toBe(false);
    expect(insideDetector(0, beyond(-r), 0)).toBe(false);
    expect(insideDetector(0, 0, beyond(z))).toBe(false);
    expect(insideDetector(NaN, 0, 0)).toBe(false);
  });

  it('particle ids: 0 and the full 64 bits decode, a negative one does not; each field takes its largest value', () => {
    expect(decodeParticleId(0n)).toEqual({ vertexId: 0, primaryId: 0, generation: 0, secondaryId: 0, process: 0 });
    expect(decodeParticleId(0xffffffffffffffffn)).toEqual({
      vertexId: 4095,
      primaryId: 65535,
      generation: 4095,
      secondaryId: 4095,
      process: 4095,
    });
    expect(() => decodeParticleId(-1n)).toThrow('particle id -1 is not an unsigned 64-bit integer');
    expect(() => decodeParticleId(1n << 64n)).toThrow(RangeError);
    const max = { vertexId: 4095, primaryId: 65535, generation: 4095, secondaryId: 4095, process: 4095 };
    expect(encodeParticleId(max)).toBe(0xffffffffffffffffn);
    expect(() => encodeParticleId({ ...max, process: 4096 })).toThrow('particle id part process=4096 does not fit 12 bits');
  });

  it('gzips by the output name, at the fast level, and a submission encodes as plain CSV by default', () => {
    const plain = path.join(dir, 'sub.csv');
    writeSubmission(plain, sub);
    expect(readFileSync(plain, 'utf8')).toBe('hit_id,track_id\n1,5\n2,6\n');
    const gz = path.join(dir, 'sub.csv.gz');
    writeSubmission(gz, sub);
    expect(gunzipSync(readFileSync(gz)).toString()).toBe('hit_id,track_id\n1,5\n2,6\n');
    expect(Buffer.from(encodeSubmission(sub)).toString()).toBe('hit_id,track_id\n1,5\n2,6\n');
    const hits = allocHits(1);
    hits.hitId[0] = 1;
    hits.volumeId[0] = 8;
    hits.layerId[0] = 2;
    const hitsGz = path.join(dir, 'hits.csv.gz');
    writeHits(hitsGz, hits);
    const bytes = readFileSync(hitsGz);
    expect([bytes[0], bytes[1], bytes[8]]).toEqual([0x1f, 0x8b, 4]); // gzip magic; XFL 4 = fastest (level 1)
    expect(readHits(hitsGz).hitId).toEqual(Uint32Array.from([1]));
  });

  it('reads given bytes without opening the named file', () => {
    const name = path.join(dir, 'not-on-disk-hits.csv');
    const text = 'hit_id,x,y,z,volume_id,layer_id,module_id\n7,1,2,3,8,2,1\n';
    expect(existsSync(name)).toBe(false);
    expect(readHits(name, Buffer.from(text)).hitId).toEqual(Uint32Array.from([7]));
  });

  it('refuses a detectors table whose rotations do not have 9 values per module', () => {
    const d = { volumeId: new Int32Array(2), rot: new Float64Array(17) } as unknown as Detectors;
    expect(() => writeDetectors(path.join(dir, 'det.csv'), d)).toThrow('writeDetectors: rot has 17 values, expected 18');
  });

  it('allocates zero-filled columns of the given length and type', () => {
    const h = allocHits(3);
    expect(
      Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [v.constructor.name, v.length, [...v].every((x) => x === 0)]])),
    ).toEqual({
      hitId: ['Uint32Array', 3, true],
      x: ['Float32Array', 3, true],
      y: ['Float32Array', 3, true],
      z: ['Float32Array', 3, true],
      volumeId: ['Uint8Array', 3, true],
      layerId: ['Uint8Array', 3, true],
      moduleId: ['Uint16Array', 3, true],
    });
    const t = allocTruth(2);
    expect(Object.values(t).every((v) => v.length === 2)).toBe(true);
    expect(t.particleId).toBeInstanceOf(BigUint64Array);
    expect(t.hitId).toBeInstanceOf(Uint32Array);
  });
});
