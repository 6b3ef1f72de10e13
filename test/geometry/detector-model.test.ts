// loadDetector: the procedural default, a real file (any row order), and user errors; the layer-table CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { loadDetector, permuteDetectors, sortDetectors } from '../../src/geometry/detector-model.ts';
import { DetectorIndex } from '../../src/geometry/detector-index.ts';
import { writeDetectors } from '../../src/trackml/index.ts';
import type { Detectors } from '../../src/trackml/types.ts';
import { firstDifference, itRealData, realDetectorsFile, repoRoot, seededRandom } from './helpers.ts';
import { handDetector } from './hand-detector.ts';
import { cliArgv } from '../cli-run.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'trackml-geometry-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadDetector', () => {
  it('builds the procedural detector without any file', () => {
    const det = loadDetector();
    expect(det.volumeId.length).toBe(18_728);
    expect(() => new DetectorIndex(det)).not.toThrow();
  });

  itRealData('reads a real detectors file and keeps it in (volume, layer, module) order', () => {
    const det = loadDetector(realDetectorsFile());
    expect(det.volumeId.length).toBe(18_728);
    expect([det.volumeId[0], det.layerId[0], det.moduleId[0]]).toEqual([7, 2, 1]);
  });

  it('reports a missing file as an InputError', () => {
    expect(() => loadDetector(path.join(tmp, 'no-such-detectors.csv'))).toThrow(InputError);
  });
});

/** The same modules in a scrambled row order. */
function scrambled(det: Detectors, seed: number): Detectors {
  const n = det.volumeId.length;
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i).sort(() => random() - 0.5);
  return permuteDetectors(det, order);
}

describe('sortDetectors', () => {
  it('orders rows by (volume, layer, module) and carries every column along', () => {
    const reference = sortDetectors(handDetector());
    const sorted = sortDetectors(scrambled(reference, 3));
    expect(sorted).toEqual(reference);
    // Already sorted input comes back as is.
    expect(sortDetectors(sorted)).toBe(sorted);
  });

  it('is applied by loadDetector to a file in scrambled order', () => {
    const file = path.join(tmp, 'scrambled-detectors.csv');
    const reference = sortDetectors(handDetector());
    writeDetectors(file, scrambled(reference, 5));
    const loaded = loadDetector(file);
    expect(Array.from(loaded.volumeId)).toEqual(Array.from(reference.volumeId));
    expect(Array.from(loaded.moduleId)).toEqual(Array.from(reference.moduleId));
    loaded.cx.forEach((x, i) => expect(x).toBeCloseTo(reference.cx[i], 4));
    expect(() => new DetectorIndex(loaded)).not.toThrow();
  });
});

describe('layer-table CLI', () => {
  itRealData('writes the committed table and reports the per-volume match', () => {
    const output = path.join(tmp, 'layer-table.json');
    const run = spawnSync(process.execPath, cliArgv('layer-table', '--detectors', realDetectorsFile(), '--output', output), {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const committed = readFileSync(path.join(repoRoot, 'trackml-data', 'layer-table.json'), 'utf8');
    expect(firstDifference(JSON.parse(readFileSync(output, 'utf8')), JSON.parse(committed))).toBeUndefined();
    expect(run.stdout).toMatch(/^wrote .*48 layers, 18728 modules/);
    expect(run.stdout.trim().split('\n')).toHaveLength(2 + 9);
  });

  it('turns a bad flag or a broken file into one line and exit status 2', () => {
    const badFlag = spawnSync(process.execPath, cliArgv('layer-table', '--detector', 'x'), { encoding: 'utf8' });
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr.trim().split('\n')).toHaveLength(1);
    const broken = path.join(tmp, 'broken.csv');
    writeFileSync(broken, 'volume_id,layer_id\n7,2\n');
    const badFile = spawnSync(process.execPath, cliArgv('layer-table', '--detectors', broken, '--output', path.join(tmp, 'x.json')), {
      encoding: 'utf8',
    });
    expect(badFile.status).toBe(2);
    expect(badFile.stderr).toMatch(/^error: .*broken\.csv/);
    expect(badFile.stderr.trim().split('\n')).toHaveLength(1);
  });
});
