// The procedural detector: exact on a hand-made layout, and within micrometres of every real TrackML module.
import { beforeAll, describe, expect, it } from 'vitest';
import { compareDetectors } from '../../src/geometry/compare.ts';
import { loadDetector } from '../../src/geometry/detector-model.ts';
import { deriveLayerTable } from '../../src/geometry/layer-table.ts';
import { buildDetectorFromTable } from '../../src/geometry/procedural.ts';
import { readDetectors } from '../../src/trackml/index.ts';
import type { Detectors } from '../../src/trackml/types.ts';
import { describeRealData, realDetectorsFile } from './helpers.ts';
import { handDetector } from './hand-detector.ts';

/** Rows keyed "volume/layer/module". */
function rowsById(det: Detectors): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < det.volumeId.length; i++) m.set(`${det.volumeId[i]}/${det.layerId[i]}/${det.moduleId[i]}`, i);
  return m;
}

describe('buildDetectorFromTable on a hand-made detector', () => {
  const hand = handDetector();
  const rebuilt = buildDetectorFromTable(deriveLayerTable(hand, 'hand'));

  it('rebuilds every module under its own id, sorted by (volume, layer, module)', () => {
    expect(rebuilt.volumeId.length).toBe(26);
    // Endcap 7/2 (ids 1…10) comes before barrel 8/2 (ids 1…16) although the input listed the barrel first.
    expect(Array.from(rebuilt.volumeId.subarray(0, 10))).toEqual(new Array(10).fill(7));
    expect(Array.from(rebuilt.moduleId.subarray(0, 10))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const handRows = rowsById(hand);
    for (let i = 0; i < rebuilt.volumeId.length; i++) {
      const j = handRows.get(`${rebuilt.volumeId[i]}/${rebuilt.layerId[i]}/${rebuilt.moduleId[i]}`)!;
      expect(j).toBeDefined();
      expect(Math.hypot(rebuilt.cx[i] - hand.cx[j], rebuilt.cy[i] - hand.cy[j], rebuilt.cz[i] - hand.cz[j])).toBeLessThan(1e-6);
      for (let k = 0; k < 9; k++) expect(rebuilt.rot[9 * i + k]).toBeCloseTo(hand.rot[9 * j + k], 6);
      expect(rebuilt.minHalfUMm[i]).toBe(hand.minHalfUMm[j]);
      expect(rebuilt.maxHalfUMm[i]).toBe(hand.maxHalfUMm[j]);
    }
  });

  it('puts endcap module id 2 (first of ring B) at r = 120, φ = −150°, z = −1002', () => {
    expect(rebuilt.cx[1]).toBeCloseTo(120 * Math.cos((-5 * Math.PI) / 6), 6);
    expect(rebuilt.cy[1]).toBeCloseTo(-60, 6);
    expect(rebuilt.cz[1]).toBe(-1002);
  });
});

describeRealData('procedural TrackML detector vs the real detectors.csv', () => {
  let real: Detectors;
  let procedural: Detectors;
  beforeAll(() => {
    real = readDetectors(realDetectorsFile());
    procedural = loadDetector();
  });

  it('has the same modules: count per layer and ids 1…N', () => {
    expect(procedural.volumeId.length).toBe(18_728);
    const realRows = rowsById(real);
    const procRows = rowsById(procedural);
    expect([...procRows.keys()].sort()).toEqual([...realRows.keys()].sort());
  });

  it('matches every centre within 0.01 mm, every normal within 1e-5 rad, sizes exactly', () => {
    const mismatch = compareDetectors(real, procedural);
    expect(mismatch.map((v) => v.volumeId)).toEqual([7, 8, 9, 12, 13, 14, 16, 17, 18]);
    for (const v of mismatch) {
      expect(v.missingCount, `volume ${v.volumeId}`).toBe(0);
      expect(v.sameIdMaxMm, `volume ${v.volumeId}`).toBeLessThan(0.01);
      expect(v.nearestMaxMm, `volume ${v.volumeId}`).toBeLessThan(0.01);
      expect(v.normalMaxRad, `volume ${v.volumeId}`).toBeLessThan(1e-5);
      expect(v.sizeMismatchCount, `volume ${v.volumeId}`).toBe(0);
    }
  });
});
