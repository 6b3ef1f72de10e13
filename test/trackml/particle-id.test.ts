// Particle id bit fields on ids worked out by hand, on the real sample's ids, and exactness through files.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeParticleId,
  encodeParticleId,
  readParticles,
  readSubmission,
  readTruth,
  writeSubmission,
  writeTruth,
} from '../../src/trackml/index.ts';
import { itRealData, sampleEventFile, tempDir } from './helpers.ts';

const dir = tempDir();

describe('decodeParticleId / encodeParticleId', () => {
  it('decodes hand-built ids', () => {
    // 4505867370102784 = 2^52 + 33·2^36: vertex 1, primary 33 (first particle of the sample).
    expect(decodeParticleId(4505867370102784n)).toEqual({ vertexId: 1, primaryId: 33, generation: 0, secondaryId: 0, process: 0 });
    // Every field at its maximum: all 64 bits set.
    expect(decodeParticleId(2n ** 64n - 1n)).toEqual({
      vertexId: 4095,
      primaryId: 65535,
      generation: 4095,
      secondaryId: 4095,
      process: 4095,
    });
    // 3·2^52 + 7·2^36 + 2·2^24 + 5·2^12 + 9
    const id = 3n * 2n ** 52n + 7n * 2n ** 36n + 2n * 2n ** 24n + 5n * 2n ** 12n + 9n;
    expect(decodeParticleId(id)).toEqual({ vertexId: 3, primaryId: 7, generation: 2, secondaryId: 5, process: 9 });
    expect(encodeParticleId({ vertexId: 3, primaryId: 7, generation: 2, secondaryId: 5, process: 9 })).toBe(id);
  });

  it('rejects parts that do not fit their bits', () => {
    expect(() => encodeParticleId({ vertexId: 4096, primaryId: 0, generation: 0, secondaryId: 0, process: 0 })).toThrow(/vertexId/);
    expect(() => encodeParticleId({ vertexId: 0, primaryId: -1, generation: 0, secondaryId: 0, process: 0 })).toThrow(/primaryId/);
    expect(() => decodeParticleId(-1n)).toThrow(RangeError);
  });

  itRealData('sample ids decode to sensible values and re-encode to themselves', () => {
    const p = readParticles(sampleEventFile('particles'));
    let primaries = 0;
    for (const id of p.particleId) {
      const parts = decodeParticleId(id);
      expect(parts.vertexId).toBeGreaterThan(0); // every generated particle comes from a vertex
      expect(parts.primaryId).toBeGreaterThan(0);
      if (parts.generation === 0) {
        primaries++;
        expect(parts.secondaryId).toBe(0);
      }
      expect(encodeParticleId(parts)).toBe(id);
    }
    expect(primaries).toBeGreaterThan(p.particleId.length / 2);
    // Truth: noise hits have id 0, every other id is one of the particles.
    const known = new Set(p.particleId);
    for (const id of readTruth(sampleEventFile('truth')).particleId) if (id !== 0n) expect(known.has(id)).toBe(true);
  });
});

describe('64-bit ids stay exact through files', () => {
  it('truth particle ids above 2^53 differing only in the last bit stay distinct', () => {
    const base = 2n ** 60n + 2n ** 53n; // far above the double-exact range
    const ids = [base, base + 1n, 2n ** 64n - 1n, 2n ** 64n - 2n];
    const n = ids.length;
    const zeros = () => new Float32Array(n);
    const file = path.join(dir, 'event000000009-truth.csv.gz');
    writeTruth(file, {
      hitId: Uint32Array.from([1, 2, 3, 4]),
      particleId: BigUint64Array.from(ids),
      tx: zeros(),
      ty: zeros(),
      tz: zeros(),
      tpx: zeros(),
      tpy: zeros(),
      tpz: zeros(),
      weight: Float64Array.from([0.25, 0.25, 0.25, 0.25]),
    });
    const back = readTruth(file);
    expect([...back.particleId]).toEqual(ids);
    expect(back.particleId[0]).not.toBe(back.particleId[1]);
  });

  it('negative and extreme submission track ids round-trip', () => {
    const ids = [-(2n ** 63n), 2n ** 63n - 1n, -1n, 0n, 2n ** 53n + 1n];
    const file = path.join(dir, 'sub.csv');
    writeSubmission(file, { hitId: Uint32Array.from([5, 1, 9, 2, 4294967295]), trackId: BigInt64Array.from(ids) });
    const back = readSubmission(file);
    expect([...back.trackId]).toEqual(ids);
    expect([...back.hitId]).toEqual([5, 1, 9, 2, 4294967295]);
  });
});
