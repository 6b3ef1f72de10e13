// Triplet edge inputs on hand-made hits: a straight track, a 1 GeV helix in 2 T, and a fake branch.
import { describe, expect, it } from 'vitest';
import { NODE_FEATURES, R_SCALE_MM, Z_SCALE_MM } from '../../src/graph/graph.ts';
import { createModel, disposeModel, disposeGraphTensors, forward, graphTensors, paramCount } from '../../src/gnn/model.ts';
import { TRIPLET_FEATURES, tripletFeatures } from '../../src/gnn/triplets.ts';

/** Graph arrays from hits given as (x, y, z) mm and edges as [src, dst]. */
function graphOf(hits: [number, number, number][], edges: [number, number][]) {
  const nodeFeatures = new Float32Array(hits.length * NODE_FEATURES);
  hits.forEach(([x, y, z], i) => {
    nodeFeatures[i * NODE_FEATURES] = Math.hypot(x, y) / R_SCALE_MM;
    nodeFeatures[i * NODE_FEATURES + 1] = Math.atan2(y, x) / Math.PI;
    nodeFeatures[i * NODE_FEATURES + 2] = z / Z_SCALE_MM;
  });
  return { nodeFeatures, src: Uint32Array.from(edges, (e) => e[0]), dst: Uint32Array.from(edges, (e) => e[1]) };
}
const row = (f: Float32Array, e: number) => Array.from(f.subarray(e * TRIPLET_FEATURES, (e + 1) * TRIPLET_FEATURES));

describe('tripletFeatures', () => {
  it('a straight track continues with no angle change; its ends have no neighbour; a kink shows as curvature', () => {
    // Hits 0–2 on a straight line from the origin (z = r/2); hit 3 is off to the side at the last radius.
    const hits: [number, number, number][] = [
      [30, 0, 15],
      [70, 0, 35],
      [110, 0, 55],
      [108, 20, 55],
    ];
    const f = tripletFeatures(
      graphOf(hits, [
        [0, 1],
        [1, 2],
        [1, 3],
      ]),
    );
    const [dThIn0, kIn0, dThOut0, kOut0, hasIn0, hasOut0] = row(f, 0);
    expect([dThIn0, kIn0, hasIn0]).toEqual([10, 10, 0]); // nothing comes into hit 0
    expect(hasOut0).toBe(1);
    // Best continuation of 0→1 is 1→2: same direction exactly.
    expect(Math.abs(dThOut0)).toBeLessThan(1e-3);
    expect(Math.abs(kOut0)).toBeLessThan(1e-3);
    const [, , , , hasIn1, hasOut1] = row(f, 1);
    expect([hasIn1, hasOut1]).toEqual([1, 0]);
    // 0→1 then 1→3 turns by atan(20/38) ≈ 0.48 rad over ~80 mm: far more curved than a 1 GeV track (κ·R = 1).
    const kIn2 = row(f, 2)[1];
    expect(Math.abs(kIn2)).toBeGreaterThan(5);
  });

  it('a 1 GeV helix in 2 T (transverse radius 1667 mm) gives curvature inputs of magnitude ≈ 1, sign by charge', () => {
    const R = 1667;
    // Circle through the origin with centre (0, R): points at arc angle α are (R sin α, R − R cos α).
    const radii = [32, 72, 116, 172];
    const helix = (sign: number): [number, number, number][] =>
      radii.map((r) => {
        const alpha = 2 * Math.asin(r / (2 * R));
        return [R * Math.sin(alpha), sign * (R - R * Math.cos(alpha)), 0.8 * r];
      });
    for (const sign of [1, -1]) {
      const f = tripletFeatures(
        graphOf(helix(sign), [
          [0, 1],
          [1, 2],
          [2, 3],
        ]),
      );
      const k = row(f, 1)[1]; // middle edge, incoming side
      expect(Math.abs(Math.abs(k) - 1)).toBeLessThan(0.05);
      expect(Math.sign(k)).toBe(sign);
      expect(Math.abs(row(f, 1)[0])).toBeLessThan(0.05); // constant dip: no polar-angle change
    }
  });

  it('a model with triplet inputs has 6 more inputs to its edge encoder and runs on a graph', async () => {
    expect(paramCount({ hidden: 8, iterations: 1, tripletFeatures: true }) - paramCount({ hidden: 8, iterations: 1 })).toBe(
      TRIPLET_FEATURES * 8,
    );
    const hits: [number, number, number][] = [
      [30, 0, 15],
      [70, 0, 35],
      [110, 0, 55],
      [108, 20, 55],
    ];
    const g = graphOf(hits, [
      [0, 1],
      [1, 2],
      [1, 3],
    ]);
    const model = createModel({ hidden: 8, iterations: 1, tripletFeatures: true }, 1);
    const gt = graphTensors({ ...g, edgeFeatures: new Float32Array(3 * 5) }, 2, model.config);
    expect(gt.chunks.map((c) => c.features.shape)).toEqual([
      [2, 5 + 2 + TRIPLET_FEATURES],
      [1, 5 + 2 + TRIPLET_FEATURES],
    ]);
    const logits = forward(model, gt, false);
    expect((await logits.data()).length).toBe(3);
    logits.dispose();
    disposeGraphTensors(gt);
    disposeModel(model);
  });
});
