// Real sample event and detectors: read → write (.csv and .csv.gz) → read gives bit-identical arrays, and the
// written text is byte-identical to the official files' text.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import {
  readCells,
  readDetectors,
  readHits,
  readParticles,
  readTruth,
  readTruthForScoring,
  writeCells,
  writeDetectors,
  writeHits,
  writeParticles,
  writeTruth,
} from '../../src/trackml/index.ts';
import { bytesOf, describeRealData, realDataDir, sampleEventFile, tempDir } from './helpers.ts';

const dir = tempDir();

function expectSameColumns(a: object, b: object): void {
  const ra = a as Record<string, ArrayBufferView | undefined>;
  const rb = b as Record<string, ArrayBufferView | undefined>;
  expect(Object.keys(rb).sort()).toEqual(Object.keys(ra).sort());
  for (const key of Object.keys(ra)) {
    const x = ra[key];
    const y = rb[key];
    if (x === undefined) {
      expect(y, key).toBeUndefined();
      continue;
    }
    expect(y?.constructor, key).toBe(x.constructor);
    expect(bytesOf(y as ArrayBufferView).equals(bytesOf(x)), `column ${key} differs`).toBe(true);
  }
}

const cases = [
  { kind: 'hits', file: () => sampleEventFile('hits'), read: readHits, write: writeHits },
  { kind: 'cells', file: () => sampleEventFile('cells'), read: readCells, write: writeCells },
  { kind: 'particles', file: () => sampleEventFile('particles'), read: readParticles, write: writeParticles },
  { kind: 'truth', file: () => sampleEventFile('truth'), read: readTruth, write: writeTruth },
  { kind: 'detectors', file: () => path.join(realDataDir(), 'detectors.csv.gz'), read: readDetectors, write: writeDetectors },
] as const;

describeRealData('round trip on the real files', () => {
  for (const c of cases) {
    it(`${c.kind}: read → write .csv/.csv.gz → read is bit-identical, text identical to the original`, () => {
      const original = (c.read as (f: string) => object)(c.file());
      const write = c.write as (f: string, v: object) => void;
      const read = c.read as (f: string) => object;
      const plain = path.join(dir, `${c.kind}.csv`);
      const gz = path.join(dir, `${c.kind}.csv.gz`);
      write(plain, original);
      write(gz, original);
      expect(readFileSync(gz)[0]).toBe(0x1f); // really gzipped
      expectSameColumns(original, read(plain));
      expectSameColumns(original, read(gz));
      // Shortest round-trip float text reproduces the official files exactly.
      const officialText = gunzipSync(readFileSync(c.file())).toString('latin1');
      expect(readFileSync(plain, 'latin1') === officialText).toBe(true);
    });
  }

  it('sample event has the documented sizes', () => {
    const hits = readHits(sampleEventFile('hits'));
    const truth = readTruth(sampleEventFile('truth'));
    const particles = readParticles(sampleEventFile('particles'));
    expect(hits.hitId.length).toBe(5527);
    expect(particles.particleId.length).toBe(548);
    expect(particles.particleType).toBeInstanceOf(Int32Array);
    expect(truth.particleId.filter((p) => p === 0n).length).toBe(829);
    expect(readDetectors(path.join(realDataDir(), 'detectors.csv.gz')).volumeId.length).toBe(18728);
    // First rows, copied from the file text: 6,-76.566,-11.3673,-1502.5,7,2,1 and truth weight 6.96929e-06.
    expect([hits.hitId[0], hits.x[0], hits.y[0], hits.z[0]]).toEqual([6, Math.fround(-76.566), Math.fround(-11.3673), -1502.5]);
    expect([hits.volumeId[0], hits.layerId[0], hits.moduleId[0]]).toEqual([7, 2, 1]);
    expect(truth.particleId[0]).toBe(27028813309280256n);
    expect(truth.weight[0]).toBe(6.96929e-6);
    expect(truth.tpx[1]).toBe(-536408);
  });
});

describeRealData('truth as the scorer reads it', () => {
  it('holds exactly readTruth’s hit_id, particle_id and weight columns on the real sample', () => {
    const file = sampleEventFile('truth');
    const full = readTruth(file);
    expectSameColumns({ hitId: full.hitId, particleId: full.particleId, weight: full.weight }, readTruthForScoring(file));
  });
});
