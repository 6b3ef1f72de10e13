// DetectorIndex: layer ordering, id lookup, local↔global transforms, trapezoid bounds, and candidate lookup that
// never misses a module — on hand-made layouts, random points, and every hit of a real TrackML event.
import { beforeAll, describe, expect, it } from 'vitest';
import { DetectorIndex } from '../../src/geometry/detector-index.ts';
import { loadDetector } from '../../src/geometry/detector-model.ts';
import { readHits } from '../../src/trackml/index.ts';
import type { Hits } from '../../src/trackml/types.ts';
import { barrelR0, describeRealData, makeDetectors, realDetectorsFile, realHitsFile, seededRandom, turnedByPhi } from './helpers.ts';
import { handDetector } from './hand-detector.ts';

function candidateList(index: DetectorIndex, layer: number, x: number, y: number, z: number, marginMm?: number): number[] {
  const out = new Int32Array(64);
  const n = index.candidates(layer, x, y, z, out, marginMm);
  return Array.from(out.subarray(0, n)).sort((a, b) => a - b);
}

describe('DetectorIndex on a hand-made detector', () => {
  const index = new DetectorIndex(handDetector());

  it('orders layers by (volume, layer) with kind, nominal position and module range', () => {
    expect(index.layers.map((l) => [l.volumeId, l.layerId, l.kind])).toEqual([
      [7, 2, 'endcap'],
      [8, 2, 'barrel'],
    ]);
    const [endcap, barrel] = index.layers;
    expect([endcap.side, barrel.side]).toEqual([-1, 0]);
    expect(endcap.nominalMm).toBeCloseTo(-1000, 9); // z stagger ±2 averages out
    expect(barrel.nominalMm).toBeCloseTo(100.5, 9); // rows at r = 100 and 101
    expect(barrel.zMinMm).toBeCloseTo(-70, 9);
    expect(barrel.zMaxMm).toBeCloseTo(70, 9);
    // Input listed the barrel first: its 16 modules are rows 0…15.
    expect([barrel.moduleStart, barrel.moduleEnd, endcap.moduleStart, endcap.moduleEnd]).toEqual([0, 16, 16, 26]);
    expect(index.layerIndexOf(8, 2)).toBe(1);
    expect(index.layerIndexOf(7, 2)).toBe(0);
    expect(index.layerIndexOf(9, 2)).toBe(-1);
  });

  it('looks modules up by (volume, layer, module id)', () => {
    for (let i = 0; i < index.moduleCount; i++) {
      expect(index.moduleIndexOf(index.volumeId[i], index.layerId[i], index.moduleId[i])).toBe(i);
    }
    expect(index.moduleIndexOf(8, 2, 17)).toBe(-1);
    expect(index.moduleIndexOf(8, 2, 0)).toBe(-1);
    expect(index.moduleIndexOf(8, 4, 1)).toBe(-1);
  });

  it('maps local (u, v) to global and back', () => {
    const g = new Float64Array(3);
    const l = new Float64Array(3);
    // Barrel module 1: φ = −7π/8, r = 100, z = −50, v along z.
    index.toGlobal(0, 0, 5, g);
    expect(Array.from(g)).toEqual(
      [100 * Math.cos((-7 * Math.PI) / 8), 100 * Math.sin((-7 * Math.PI) / 8), -45].map((x) => expect.closeTo(x, 9)),
    );
    const random = seededRandom(1);
    for (let m = 0; m < index.moduleCount; m++) {
      const u = (random() - 0.5) * 20;
      const v = (random() - 0.5) * 40;
      index.toGlobal(m, u, v, g);
      index.toLocal(m, g[0], g[1], g[2], l);
      expect(l[0]).toBeCloseTo(u, 9);
      expect(l[1]).toBeCloseTo(v, 9);
      expect(l[2]).toBeCloseTo(0, 9);
    }
    // w is the signed distance along the normal.
    const a = 9 * 0;
    index.toLocal(
      0,
      index.centre[0] + 0.3 * index.axes[a + 6],
      index.centre[1] + 0.3 * index.axes[a + 7],
      index.centre[2] + 0.3 * index.axes[a + 8],
      l,
    );
    expect(l[2]).toBeCloseTo(0.3, 12);
  });

  it('bounds a trapezoid that widens from minhu at v = −hv to maxhu at v = +hv', () => {
    const ringB = index.moduleIndexOf(7, 2, 2); // minhu 12, maxhu 16, hv 20
    expect(index.inBounds(ringB, 13.9, 0)).toBe(true); // half-width 14 at v = 0
    expect(index.inBounds(ringB, 14.1, 0)).toBe(false);
    expect(index.inBounds(ringB, 15.9, 19.9)).toBe(true);
    expect(index.inBounds(ringB, 12.5, -19.9)).toBe(false); // narrow end
    expect(index.inBounds(ringB, 0, 20.5)).toBe(false);
    expect(index.inBounds(ringB, 0, 20.5, 1)).toBe(true); // margin grows the bounds
  });

  it('finds the module at a point on it, nothing in the gap between rows, and both modules in an overlap', () => {
    const g = new Float64Array(3);
    const barrel = index.layerIndexOf(8, 2);
    index.toGlobal(3, 0, 0, g);
    expect(candidateList(index, barrel, g[0], g[1], g[2], 0)).toEqual([3]);
    // Rows cover |z| in [30, 70]: z = 0 is a gap even with a 1 mm margin.
    expect(candidateList(index, barrel, g[0], g[1], 0)).toEqual([]);
    // Neighbours k = 3 and 4 of row 0 sit at φ = ∓22.5°, 20 mm wide at r = 100 (±5.7°): the point at φ = 0
    // is ~29 mm of arc from either edge, so it is in neither, but a 35 mm margin reaches both.
    const phiMid = (-7 * Math.PI) / 8 + 3.5 * (Math.PI / 4);
    expect(candidateList(index, barrel, 100 * Math.cos(phiMid), 100 * Math.sin(phiMid), -50, 0)).toEqual([]);
    expect(candidateList(index, barrel, 100 * Math.cos(phiMid), 100 * Math.sin(phiMid), -50, 35)).toEqual([3, 4]);
  });
});

describe('candidates across φ = ±π', () => {
  // Four wide barrel modules at φ = −π/2, 0, π/2, π; the one at π straddles the ±π seam.
  const index = new DetectorIndex(
    makeDetectors(
      [-Math.PI / 2, 0, Math.PI / 2, Math.PI].map((phi, k) => ({
        volumeId: 8,
        layerId: 2,
        moduleId: k + 1,
        centre: [100 * Math.cos(phi), 100 * Math.sin(phi), 0] as [number, number, number],
        rot: turnedByPhi(phi, barrelR0(0)),
        minHalfUMm: 60,
        maxHalfUMm: 60,
        halfVMm: 50,
      })),
    ),
  );
  it('finds the seam module from both sides', () => {
    for (const deg of [179, -179, 170, -170]) {
      const phi = (deg * Math.PI) / 180;
      expect(candidateList(index, 0, 100 * Math.cos(phi), 100 * Math.sin(phi), 10, 0)).toEqual([3]);
    }
  });
});

describeRealData('DetectorIndex on the real TrackML detectors and the sample event', () => {
  let hits: Hits;
  const detectors: Record<string, DetectorIndex> = {};
  beforeAll(() => {
    hits = readHits(realHitsFile());
    detectors.real = new DetectorIndex(loadDetector(realDetectorsFile()));
    detectors.procedural = new DetectorIndex(loadDetector());
  });

  it('orders the 48 layers by (volume, layer)', () => {
    for (const index of Object.values(detectors)) {
      expect(index.layers).toHaveLength(48);
      const keys = index.layers.map((l) => l.volumeId * 256 + l.layerId);
      expect(keys).toEqual([...keys].sort((a, b) => a - b));
      expect(index.layers[0]).toMatchObject({ volumeId: 7, layerId: 2, kind: 'endcap', side: -1 });
      expect(index.layers[index.layerIndexOf(18, 12)]).toMatchObject({ kind: 'endcap', side: 1 });
      const pixelBarrel = index.layers[index.layerIndexOf(8, 2)];
      expect(pixelBarrel.kind).toBe('barrel');
      expect(pixelBarrel.nominalMm).toBeCloseTo(32, 1); // rows at r = 31.75 and 32.25
      expect(pixelBarrel.moduleEnd - pixelBarrel.moduleStart).toBe(224);
    }
  });

  for (const which of ['real', 'procedural']) {
    it(`${which}: every hit lies on its module (|w| ≤ t/2), inside its trapezoid, and among its layer's candidates`, () => {
      const index = detectors[which];
      const local = new Float64Array(3);
      const out = new Int32Array(64);
      let outside = 0;
      let outsideIfFlipped = 0;
      let missed = 0;
      for (let h = 0; h < hits.x.length; h++) {
        const m = index.moduleIndexOf(hits.volumeId[h], hits.layerId[h], hits.moduleId[h]);
        expect(m).toBeGreaterThanOrEqual(0);
        index.toLocal(m, hits.x[h], hits.y[h], hits.z[h], local);
        expect(Math.abs(local[2])).toBeLessThanOrEqual(index.thicknessMm[m] / 2);
        // 10 µm covers the float32 hit coordinates and the file's rounding.
        if (!index.inBounds(m, local[0], local[1], 0.01)) outside++;
        if (!index.inBounds(m, local[0], -local[1], 0.01)) outsideIfFlipped++;
        const n = index.candidates(index.layerOfModule[m], hits.x[h], hits.y[h], hits.z[h], out, 0);
        if (!out.subarray(0, n).includes(m)) missed++;
      }
      expect(outside).toBe(0);
      expect(missed).toBe(0);
      // The opposite trapezoid orientation would leave real hits outside: the check has teeth.
      expect(outsideIfFlipped).toBeGreaterThan(10);
    });
  }

  it('returns every module that contains a random point near the surface (brute force over the layer)', () => {
    const index = detectors.real;
    const random = seededRandom(7);
    const g = new Float64Array(3);
    const local = new Float64Array(3);
    const out = new Int32Array(64);
    const marginMm = 1;
    let overlaps = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const m = Math.floor(random() * index.moduleCount);
      const v = (random() * 2 - 1) * index.halfVMm[m];
      const hu = index.minHalfUMm[m] + ((index.maxHalfUMm[m] - index.minHalfUMm[m]) * (v + index.halfVMm[m])) / (2 * index.halfVMm[m]);
      index.toGlobal(m, (random() * 2 - 1) * hu, v, g);
      // Off the plane by up to 0.8 mm along the normal.
      const w = (random() * 2 - 1) * 0.8;
      for (let k = 0; k < 3; k++) g[k] += w * index.axes[9 * m + 6 + k];
      const layer = index.layers[index.layerOfModule[m]];
      const n = index.candidates(layer.index, g[0], g[1], g[2], out, marginMm);
      const found = new Set(out.subarray(0, n));
      let containing = 0;
      for (let j = layer.moduleStart; j < layer.moduleEnd; j++) {
        index.toLocal(j, g[0], g[1], g[2], local);
        if (Math.abs(local[2]) <= 0.8 + index.thicknessMm[j] && index.inBounds(j, local[0], local[1])) {
          containing++;
          expect(found.has(j), `module ${j} contains the point but is not a candidate`).toBe(true);
        }
      }
      expect(containing).toBeGreaterThanOrEqual(1);
      if (containing > 1) overlaps++;
    }
    // Neighbouring modules overlap a little in φ (~1 % of the area): some random points must land there.
    expect(overlaps).toBeGreaterThan(10);
  });
});
