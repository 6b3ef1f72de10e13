// The module map's selectivity (issue 22: the map without its Δη cut survived the tests): on a mapped module pair, a
// hit pair is an edge only when each of Δφ, z0, φ slope and Δη lies in the learned range widened by its margin — at
// 0.9 of the margin beyond either end it is kept, at 1.1 it is not, one quantity at a time; and no edge on a pair
// the map does not list.
import { describe, expect, it } from 'vitest';
import {
  applyModuleMap,
  MM_DETA,
  MM_DPHI,
  MM_FEATURES,
  MM_MIN_MARGIN,
  MM_PHISLOPE,
  MM_Z0,
  moduleMapFromEntries,
  segmentQuantities,
} from '../../src/graph/module-map.ts';

const WIDE = 1e5; // a range no test value leaves
// Node a on module 0, node b on module 1; a is fixed, b is placed to give one quantity the value wanted.
const A = { r: 72, phi: 0.3, z: 40 };
const RB = 116;

/** Node b's (φ, z) giving quantity `f` the value q, the others near their middle (all within WIDE). */
function placeB(f: number, q: number): { phi: number; z: number } {
  const dr = RB - A.r;
  const zMid = A.z * (RB / A.r); // the line through the origin: z0 = 0, Δη = 0
  if (f === MM_DPHI) return { phi: A.phi + q, z: zMid };
  if (f === MM_PHISLOPE) return { phi: A.phi + q * dr, z: zMid };
  if (f === MM_Z0) return { phi: A.phi + 0.01, z: A.z - ((q - A.z) * dr) / A.r };
  return { phi: A.phi + 0.01, z: RB * Math.sinh(Math.asinh(A.z / A.r) + q) }; // MM_DETA
}

/** A one-entry map (module 0 → 1) with quantity f in [lo, hi] and the others WIDE. */
function mapWith(f: number, lo: number, hi: number) {
  const los = Array(MM_FEATURES).fill(-WIDE);
  const his = Array(MM_FEATURES).fill(WIDE);
  los[f] = lo;
  his[f] = hi;
  return moduleMapFromEntries(2, [{ src: 0, dst: 1, count: 5, lo: los, hi: his }]);
}

/** Edges the map builds between a and a b with quantity f = q. */
function edgesFor(map: ReturnType<typeof mapWith>, f: number, q: number, margin: number, moduleRow = new Int32Array([0, 1])): number {
  const b = placeB(f, q);
  const nodes = {
    rMm: new Float32Array([A.r, RB]),
    phiRad: new Float32Array([A.phi, b.phi]),
    zMm: new Float32Array([A.z, b.z]),
    layer: [0, 1],
  };
  return applyModuleMap(nodes, moduleRow, map, margin).src.length;
}

const NAMES = ['Δφ', 'z0', 'φ slope', 'Δη'];
// Learned ranges, exact in float32 (the map stores float32).
const RANGES: [number, number][] = [
  [0.0078125, 0.015625], // Δφ, rad
  [-20, 30], // z0, mm
  [0.000125, 0.00025], // φ slope, rad/mm
  [0.03125, 0.0625], // Δη
];

describe('module map: a hit pair is an edge only inside every widened range', () => {
  it('placeB gives the quantity asked for (checked with the learner’s own formulas)', () => {
    const out = new Float64Array(MM_FEATURES);
    for (const f of [MM_DPHI, MM_Z0, MM_PHISLOPE, MM_DETA]) {
      const b = placeB(f, RANGES[f][1]);
      segmentQuantities(A.r, A.phi, A.z, RB, b.phi, b.z, out);
      expect(out[f]).toBeCloseTo(RANGES[f][1], 6);
    }
  });

  for (const f of [MM_DPHI, MM_Z0, MM_PHISLOPE, MM_DETA]) {
    const [lo, hi] = RANGES[f];
    it.each([
      [0, MM_MIN_MARGIN[f]], // narrow range: the least margin
      [0.5, Math.max(0.5 * (hi - lo), MM_MIN_MARGIN[f])], // a margin from the range's width
    ])(`${NAMES[f]}: kept at 0.9 of the margin beyond either end, not at 1.1 (margin fraction %d)`, (fraction, w) => {
      const map = mapWith(f, lo, hi);
      expect(edgesFor(map, f, (lo + hi) / 2, fraction)).toBe(1);
      expect(edgesFor(map, f, hi + 0.9 * w, fraction)).toBe(1);
      expect(edgesFor(map, f, hi + 1.1 * w, fraction)).toBe(0);
      expect(edgesFor(map, f, lo - 0.9 * w, fraction)).toBe(1);
      expect(edgesFor(map, f, lo - 1.1 * w, fraction)).toBe(0);
    });
  }

  it('edges run from the source module’s hit; nothing on a module pair the map does not list', () => {
    const map = mapWith(MM_DETA, -WIDE, WIDE);
    const nodes = {
      rMm: new Float32Array([A.r, RB]),
      phiRad: new Float32Array([0.3, 0.31]),
      zMm: new Float32Array([40, 60]),
      layer: [0, 1],
    };
    const forward = applyModuleMap(nodes, new Int32Array([0, 1]), map, 0);
    expect([[...forward.src], [...forward.dst]]).toEqual([[0], [1]]);
    const reversed = applyModuleMap(nodes, new Int32Array([1, 0]), map, 0); // node 1 now on the source module
    expect([[...reversed.src], [...reversed.dst]]).toEqual([[1], [0]]);
    expect(edgesFor(map, MM_DETA, 0.04, 0, new Int32Array([0, -1]))).toBe(0); // b on no module
    const three = moduleMapFromEntries(3, [
      { src: 0, dst: 2, count: 1, lo: Array(MM_FEATURES).fill(-WIDE), hi: Array(MM_FEATURES).fill(WIDE) },
    ]);
    expect(edgesFor(three, MM_DETA, 0.04, 0)).toBe(0); // 0 → 1 unmapped, 0 → 2 mapped but empty
    expect(edgesFor(three, MM_DETA, 0.04, 0, new Int32Array([0, 2]))).toBe(1);
  });
});
