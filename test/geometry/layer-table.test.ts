// The layer table: derived by hand-checkable rules on a small detector, and the committed table is exactly what
// the real detectors.csv gives today.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { deriveLayerTable, formatLayerTable, parseLayerTable, unpackGroups } from '../../src/geometry/layer-table.ts';
import { readDetectors } from '../../src/trackml/index.ts';
import { barrelR0, firstDifference, itRealData, realDetectorsFile, repoRoot, turnedByPhi } from './helpers.ts';
import { BARREL_TILT_RAD, ENDCAP_SEQUENCE, handDetector, RING_A, RING_B, ROW_PHI0_RAD } from './hand-detector.ts';

const committedFile = path.join(repoRoot, 'trackml-data', 'layer-table.json');

describe('deriveLayerTable on a hand-made detector', () => {
  const table = deriveLayerTable(handDetector(), 'hand');

  it('orders layers by (volume, layer) and classifies them', () => {
    expect(table.layers.map((l) => [l.volumeId, l.layerId, l.kind, l.side])).toEqual([
      [7, 2, 'endcap', -1],
      [8, 2, 'barrel', 0],
    ]);
    expect(table.moduleCount).toBe(26);
  });

  it('finds the endcap rings, their z stagger, sizes and interleaved ids', () => {
    const endcap = table.layers[0];
    const rings = unpackGroups(endcap);
    expect(rings.map((g) => g.count)).toEqual([4, 6]);
    expect(rings[0].phi0Rad).toBeCloseTo(RING_A.phi0Rad, 8);
    expect(rings[1].phi0Rad).toBeCloseTo(RING_B.phi0Rad, 8);
    expect(rings.map((g) => g.rMm)).toEqual([50, 120]);
    // z alternates −2 / +2 around −1000 in both rings: one shared pattern.
    expect(endcap.groups.zMm).toEqual([-1000]);
    expect(endcap.groups.zOffsetsMm).toEqual([[-2, 2]]);
    expect(endcap.groups.rOffsetsMm).toEqual([[0]]);
    expect(rings.map((g) => table.moduleTypes[g.moduleType])).toMatchObject([
      { minHalfUMm: 10, maxHalfUMm: 10, halfVMm: 20 },
      { minHalfUMm: 12, maxHalfUMm: 16, halfVMm: 20 },
    ]);
    expect(table.groupSequences[endcap.groupSequence]).toBe(ENDCAP_SEQUENCE);
    expect(endcap.rotationInPhiFrame).toEqual([0, 1, 0, 1, 0, 0, 0, 0, -1]);
    // Extent: ring A inner edge at 50 − 20; z faces at −1002 − t/2 and −998 + t/2.
    expect(endcap.rMinMm).toBeCloseTo(30, 2);
    expect(endcap.zMinMm).toBeCloseTo(-1002.075, 2);
    expect(endcap.zMaxMm).toBeCloseTo(-997.925, 2);
  });

  it('finds the barrel rows, their radii, the tilt, and contiguous ids', () => {
    const barrel = table.layers[1];
    expect(barrel.groups.groupCount).toBe(2);
    expect(barrel.groups.count).toEqual([8]);
    expect(barrel.groups.phi0Rad[0]).toBeCloseTo(ROW_PHI0_RAD, 8);
    expect(barrel.groups.rMm).toEqual([100, 101]);
    expect(barrel.groups.zMm).toEqual([-50, 50]);
    expect(barrel.groupSequence).toBe(-1);
    expect(barrel.tiltRad).toBeCloseTo(BARREL_TILT_RAD, 6);
    barrelR0(BARREL_TILT_RAD).forEach((x, k) => expect(barrel.rotationInPhiFrame[k]).toBeCloseTo(x, 6));
    // v is along z: the rows reach ±(50 + 20).
    expect(barrel.zMinMm).toBeCloseTo(-70, 6);
    expect(barrel.zMaxMm).toBeCloseTo(70, 6);
  });

  it('refuses layouts it cannot express instead of describing them wrongly', () => {
    const uneven = handDetector();
    // Barrel module 3 (row 0) moved 0.2 rad along φ: the row is no longer equally spaced.
    const phi = Math.atan2(uneven.cy[2], uneven.cx[2]) + 0.2;
    uneven.cx[2] = 100 * Math.cos(phi);
    uneven.cy[2] = 100 * Math.sin(phi);
    uneven.rot.set(turnedByPhi(phi, barrelR0(BARREL_TILT_RAD)), 9 * 2);
    expect(() => deriveLayerTable(uneven, 'hand')).toThrow(/volume 8 layer 2: the 8 modules .* not equally spaced/);
    const turned = handDetector();
    turned.rot.set([1, 0, 0, 0, 1, 0, 0, 0, 1], 9 * 5); // one barrel module facing along z
    expect(() => deriveLayerTable(turned, 'hand')).toThrow(/volume 8 layer 2: module 6 is rotated unlike the rest/);
    const swapped = handDetector();
    [swapped.moduleId[0], swapped.moduleId[1]] = [swapped.moduleId[1], swapped.moduleId[0]];
    expect(() => deriveLayerTable(swapped, 'hand')).toThrow(/do not rise with φ/);
  });

  it('survives its own JSON text', () => {
    expect(parseLayerTable(JSON.parse(formatLayerTable(table)), 'x')).toEqual(table);
  });
});

describe('parseLayerTable', () => {
  const good = deriveLayerTable(handDetector(), 'hand');
  const clone = () => JSON.parse(JSON.stringify(good));

  it('rejects unknown keys, wrong column lengths and inconsistent id sequences as InputError', () => {
    const extra = clone();
    extra.layers[0].colour = 'red';
    expect(() => parseLayerTable(extra, 't.json')).toThrow(InputError);
    const badColumn = clone();
    badColumn.layers[1].groups.rMm = [100, 101, 102];
    expect(() => parseLayerTable(badColumn, 't.json')).toThrow(/groups.rMm has 3 values, expected 1 or 2/);
    const badSequence = clone();
    badSequence.groupSequences[0] = '0000001111';
    expect(() => parseLayerTable(badSequence, 't.json')).toThrow(/gives group 0 6 modules, expected 4/);
    const badType = clone();
    badType.layers[1].groups.moduleType = [7];
    expect(() => parseLayerTable(badType, 't.json')).toThrow(/unknown moduleType 7/);
  });
});

describe('the committed layer table', () => {
  const text = readFileSync(committedFile, 'utf8');

  it('is small', () => {
    expect(text.length).toBeLessThan(50_000);
  });

  itRealData('is exactly what the real detectors.csv gives (regenerate with npm run layer-table)', () => {
    const real = readDetectors(realDetectorsFile());
    const derived = deriveLayerTable(real, `${path.basename(realDetectorsFile())} (${real.volumeId.length} modules)`);
    // Same structure, numbers equal up to their last rounded digit (libm may differ between Node builds).
    expect(firstDifference(JSON.parse(formatLayerTable(derived)), JSON.parse(text))).toBeUndefined();
    // …and that comparison does notice a moved ring or a changed id order.
    const moved = JSON.parse(text);
    moved.layers[0].groups.rMm[0] += 0.01;
    expect(firstDifference(moved, JSON.parse(text))).toMatch(/layers\[0\]\.groups\.rMm\[0\]/);
    const reordered = JSON.parse(text);
    reordered.groupSequences[0] = reordered.groupSequences[0].split('').reverse().join('');
    expect(firstDifference(reordered, JSON.parse(text))).toMatch(/groupSequences\[0\]/);
  });

  it('describes the 48 TrackML layers and 18,728 modules', () => {
    const table = parseLayerTable(JSON.parse(text), committedFile);
    expect(table.layers).toHaveLength(48);
    const total = table.layers.reduce((s, l) => s + unpackGroups(l).reduce((t, g) => t + g.count, 0), 0);
    expect(total).toBe(18_728);
    expect(table.moduleCount).toBe(18_728);
    const kinds = new Map(table.layers.map((l) => [l.volumeId, l.kind]));
    expect([...kinds]).toEqual([
      [7, 'endcap'],
      [8, 'barrel'],
      [9, 'endcap'],
      [12, 'endcap'],
      [13, 'barrel'],
      [14, 'endcap'],
      [16, 'endcap'],
      [17, 'barrel'],
      [18, 'endcap'],
    ]);
  });
});
