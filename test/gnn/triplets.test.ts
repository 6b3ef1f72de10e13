// Triplet edge inputs on hand-made hits: a straight track, a 1 GeV helix in 2 T, and a fake branch.
import { describe, expect, it } from 'vitest';
import { NODE_FEATURES, R_SCALE_MM, Z_SCALE_MM } from '../../src/graph/graph.ts';
import { createModel, disposeModel, disposeGraphTensors, forward, graphTensors, paramCount } from '../../src/gnn/model.ts';
import { edgeInputs, edgeInputWidth, writeEdgeInputs } from '../../src/gnn/edge-inputs.ts';
import { TRIPLET_FEATURES, tripletFeatures } from '../../src/gnn/triplets.ts';
import { makeRng } from '../../src/gnn/rng.ts';
import { wrapPhi } from '../../src/geometry/helix-math.ts';

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

  it('equals a plain per-edge scan of each neighbour list bit for bit, exact ties and repeated edges included; writeEdgeInputs = edgeInputs', () => {
    // Hits on a few coarse radii and angles (many pairs cost about the same), edges between radii, some twice.
    const rng = makeRng(7);
    const hits: [number, number, number][] = Array.from({ length: 120 }, (_, i) => {
      const r = 30 + 40 * (i % 6);
      const phi = Math.round(rng() * 8) / 8 - 0.5;
      return [r * Math.cos(phi), r * Math.sin(phi), Math.round(rng() * 4) * 10 - 20];
    });
    const edges: [number, number][] = [];
    for (let k = 0; k < 900; k++) {
      const a = Math.floor(rng() * 120);
      const b = Math.floor(rng() * 120);
      if (hits[a][0] ** 2 + hits[a][1] ** 2 < hits[b][0] ** 2 + hits[b][1] ** 2) edges.push([a, b]);
    }
    edges.push(...edges.slice(0, 40));
    // Forks mirrored about the x axis: both branches cost exactly the same and differ in the curvature's sign, so
    // only the order of the candidates decides (the first edge wins), on the outgoing side (0→1 then 1→2 or 1→3)
    // and the incoming side (4→6 or 5→6, then 6→7).
    const n0 = hits.length;
    hits.push([30, 0, 10], [70, 0, 25], [110, 7, 40], [110, -7, 40], [30, 5, 10], [30, -5, 10], [70, 0, 25], [110, 0, 40]);
    edges.push([n0 + 1, n0 + 3], [n0, n0 + 1], [n0 + 1, n0 + 2], [n0 + 5, n0 + 6], [n0 + 6, n0 + 7], [n0 + 4, n0 + 6]);
    const g = graphOf(hits, edges);
    const got = tripletFeatures(g, 0.8);
    const want = perEdgeScan(g, edges, 0.8);
    expect(want.filter((_, i) => i % TRIPLET_FEATURES === 4).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    const m = edges.length;
    // Edge 0→1, outgoing side: 1→3 (turning to −y, κ < 0) comes before its mirror 1→2 (κ > 0); edge 6→7, incoming
    // side: 5→6 (from −y, κ < 0) before its mirror 4→6.
    expect(want[(m - 5) * TRIPLET_FEATURES + 3]).toBeLessThan(0);
    expect(want[(m - 2) * TRIPLET_FEATURES + 1]).toBeLessThan(0);
    expect(Array.from(got)).toEqual(Array.from(want));

    const opts = { derivedFeatures: true, tripletFeatures: true, tripletPtGeV: 0.8 };
    const full = { ...g, edgeFeatures: Float32Array.from({ length: m * 5 }, () => rng() - 0.5) };
    const expected = edgeInputs(full, 0, m, opts, tripletFeatures(full, 0.8));
    const out = new Float32Array(m * edgeInputWidth(opts)).fill(NaN);
    expect(Array.from(writeEdgeInputs(full, opts, out))).toEqual(Array.from(expected));
  });
});

/** Reference triplet inputs: per edge, scan its incoming (at the inner hit) and outgoing (at the outer hit)
 * neighbours in edge order, first of equal costs kept; the same arithmetic in the same order (float64, then float32). */
function perEdgeScan(g: ReturnType<typeof graphOf>, edges: [number, number][], minPtGeV: number): Float32Array {
  const pos = g.nodeFeatures.length / NODE_FEATURES;
  const xyz = Array.from({ length: pos }, (_, i) => {
    const r = g.nodeFeatures[i * NODE_FEATURES] * R_SCALE_MM;
    const phi = g.nodeFeatures[i * NODE_FEATURES + 1] * Math.PI;
    return [r * Math.cos(phi), r * Math.sin(phi), g.nodeFeatures[i * NODE_FEATURES + 2] * Z_SCALE_MM];
  });
  const seg = edges.map(([a, b]) => {
    const dx = xyz[b][0] - xyz[a][0];
    const dy = xyz[b][1] - xyz[a][1];
    const rho = Math.sqrt(dx * dx + dy * dy);
    return { rho, phiT: Math.atan2(dy, dx), theta: Math.atan2(rho, xyz[b][2] - xyz[a][2]) };
  });
  const clip = (x: number) => (x > 10 ? 10 : x < -10 ? -10 : x);
  const want = new Float32Array(edges.length * TRIPLET_FEATURES);
  const side = (e: number, neighbours: number[], inner: boolean, o: number): number => {
    let best = Infinity;
    want[o] = want[o + 1] = 10;
    for (const k of neighbours) {
      const [u, v] = inner ? [k, e] : [e, k];
      const dTheta = (seg[v].theta - seg[u].theta) / 0.01;
      const kappa = ((2 * wrapPhi(seg[v].phiT - seg[u].phiT)) / (seg[u].rho + seg[v].rho + 1e-6)) * 1667;
      const c = Math.abs(dTheta) + 3 * Math.max(0, Math.abs(kappa) - 1 / minPtGeV);
      if (c < best) [best, want[o], want[o + 1]] = [c, clip(dTheta), clip(kappa)];
    }
    return best < Infinity ? 1 : 0;
  };
  const ids = edges.map((_, e) => e);
  for (let e = 0; e < edges.length; e++) {
    const o = e * TRIPLET_FEATURES;
    want[o + 4] = side(
      e,
      ids.filter((k) => edges[k][1] === edges[e][0]),
      true,
      o,
    );
    want[o + 5] = side(
      e,
      ids.filter((k) => edges[k][0] === edges[e][1]),
      false,
      o + 2,
    );
  }
  return want;
}
