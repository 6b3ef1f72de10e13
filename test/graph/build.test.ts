// Labels and cuts on hand-made hits: helices placed exactly on the pixel layers, one crossing barrel → endcap.
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/graph/build.ts';
import { graphConfig } from '../../src/graph/config.ts';
import { buildLayerModel, PIXEL_VOLUMES } from '../../src/graph/layers.ts';
import { edgeMetrics } from '../../src/graph/metrics.ts';
import { EDGE_DR, EDGE_DZ, EDGE_FEATURES, NODE_FEATURES, NODE_R, NODE_Z } from '../../src/graph/graph.ts';
import { handEvent, helixHits, layer, PIXEL_LAYERS, type HandHit } from './helpers.ts';

const model = buildLayerModel(PIXEL_LAYERS, PIXEL_VOLUMES);
const modelSkip = buildLayerModel(PIXEL_LAYERS, PIXEL_VOLUMES, { skipOne: true });
const name = (i: number) => `${model.layers[i].volumeId}/${model.layers[i].layerId}`;

// 1 GeV, cotθ = 4.1: barrel 8/2, 8/4, 8/6 (z = 476 mm < 491), misses 8/8 (z = 705 mm), then disks 9/2 and 9/4
// (r = 146 and 171 mm), leaves the pixel disks' r < 176 mm before 9/6.
const crossing = helixHits([layer(8, 2), layer(8, 4), layer(8, 6), layer(9, 2), layer(9, 4)], 1, 1, 0.3, 4.1, 0, 1n);
// A second hit of the same particle on 8/4 from the overlapping neighbour module: 1.5 mm further out.
const overlap: HandHit = (() => {
  const h = helixHits([{ ...layer(8, 4), rMinMm: 73, rMaxMm: 76 }], 1, 1, 0.3, 4.1, 0, 1n)[0];
  return h;
})();

describe('layer adjacency from geometry', () => {
  it('joins barrel layers in order, barrel to the first disks, and disks in order on each side', () => {
    const pairs = new Set(model.pairs.map((p) => `${name(p.inner)}>${name(p.outer)}`));
    for (const p of ['8/2>8/4', '8/4>8/6', '8/6>8/8', '8/6>9/2', '8/2>7/14', '9/2>9/4', '9/12>9/14', '7/14>7/12', '7/4>7/2'])
      expect(pairs, p).toContain(p);
    // Not adjacent: a layer lies between them.
    for (const p of ['8/2>8/6', '9/2>9/6', '8/8>9/2', '8/8>7/14']) expect(pairs, p).not.toContain(p);
    expect(model.layers).toHaveLength(18);
    expect(model.pairs.every((p) => p.step === 1)).toBe(true);
  });

  it('adds the pairs that skip one layer when asked', () => {
    const pairs = new Set(modelSkip.pairs.filter((p) => p.step === 2).map((p) => `${name(p.inner)}>${name(p.outer)}`));
    expect(pairs).toContain('8/2>8/6');
    expect(pairs).toContain('9/2>9/6');
    expect(pairs).not.toContain('8/2>8/4');
    const endcapOnly = buildLayerModel(PIXEL_LAYERS, PIXEL_VOLUMES, { skipOne: 'endcap' });
    const skips = new Set(endcapOnly.pairs.filter((p) => p.step === 2).map((p) => `${name(p.inner)}>${name(p.outer)}`));
    expect(skips).toContain('9/2>9/6');
    expect(skips).toContain('7/6>7/2');
    expect(skips).not.toContain('8/2>8/6');
  });
});

describe('edge truth labels', () => {
  it('orders a barrel→endcap helix by distance from its vertex and links overlap hits to both neighbours', () => {
    const ev = handEvent([crossing[0], crossing[1], overlap, crossing[2], crossing[3], crossing[4]], [{ id: 1n, ptGeV: 1 }]);
    const g = buildGraph(ev, { model }, graphConfig({ preset: 'pt1' }));
    expect(Array.from(g.truth!.rank)).toEqual([0, 1, 1, 2, 3, 4]);
    // True segments: 8/2→both 8/4 hits, both 8/4 hits→8/6, 8/6→9/2, 9/2→9/4 = 6, all kept. The layer pairs
    // 8/2→9/2 and 8/4→9/2 are adjacent too (a track near |z| = 491 mm skips the outer barrel layers), so the
    // builder also joins the hits there: same particle but not consecutive, labelled 0.
    const label = new Map(Array.from(g.src, (s, e) => [`${s}-${g.dst[e]}`, g.y![e]]));
    expect([...label.keys()].sort()).toEqual(['0-1', '0-2', '0-4', '1-3', '1-4', '2-3', '2-4', '3-4', '4-5']);
    for (const p of ['0-1', '0-2', '1-3', '2-3', '3-4', '4-5']) expect(label.get(p), p).toBe(1);
    for (const p of ['0-4', '1-4', '2-4']) expect(label.get(p), p).toBe(0);
    const m = edgeMetrics(g);
    expect(m.byPt.all).toMatchObject({ segments: 6, kept: 6, efficiency: 1 });
    expect(m.byPt.pt1.segments).toBe(0); // pT = 1 exactly is not > 1
    expect(m.byVolume['8']).toMatchObject({ segments: 5, kept: 5 });
    expect(m.byVolume['9']).toMatchObject({ segments: 1, kept: 1 });
  });

  it('labels edges to noise and to another particle 0', () => {
    const noise = {
      ...crossing[1],
      x: crossing[1].x * Math.cos(0.01) - crossing[1].y * Math.sin(0.01),
      y: crossing[1].x * Math.sin(0.01) + crossing[1].y * Math.cos(0.01),
      particleId: 0n,
    };
    const other = helixHits([layer(8, 2), layer(8, 4)], 10, -1, 0.31, 4.1, 0, 2n);
    const ev = handEvent(
      [...crossing, noise, ...other],
      [
        { id: 1n, ptGeV: 1 },
        { id: 2n, ptGeV: 10 },
      ],
    );
    const g = buildGraph(ev, { model }, graphConfig({ preset: 'pt1' }));
    const n = crossing.length;
    for (let e = 0; e < g.src.length; e++) {
      const a = g.src[e];
      const b = g.dst[e];
      // Consecutive on particle 1 (rows 0…n−1 are its hits in order) or on particle 2 (rows n+1, n+2).
      const consecutive = (a < n && b < n) || (a > n && b > n) ? Math.abs(a - b) === 1 : false;
      expect(g.y![e], `${a}-${b}`).toBe(consecutive ? 1 : 0);
    }
    // The noise hit 0.01 rad off sits inside the φ window: it gets fake edges, and the true ones all survive.
    expect(g.src.some((s, e) => s === n || g.dst[e] === n)).toBe(true);
    expect(edgeMetrics(g).byPt.all.efficiency).toBe(1);
  });
});

describe('geometric cuts', () => {
  it('keeps a 1 GeV track with the pT>1 and pT>0.5 presets and drops a 0.2 GeV one (phi slope)', () => {
    const slow = helixHits([layer(8, 2), layer(8, 4), layer(8, 6), layer(8, 8)], 0.2, 1, 2.5, 0.3, 0, 3n);
    const fast = helixHits([layer(8, 2), layer(8, 4), layer(8, 6), layer(8, 8)], 1.2, 1, -0.5, 0.3, 0, 4n);
    const ev = handEvent(
      [...slow, ...fast],
      [
        { id: 3n, ptGeV: 0.2 },
        { id: 4n, ptGeV: 1.2 },
      ],
    );
    for (const preset of ['pt1', 'pt0.5'] as const) {
      const g = buildGraph(ev, { model }, graphConfig({ preset }));
      const pairs = Array.from(g.src, (s, e) => `${s}-${g.dst[e]}`).sort();
      expect(pairs, preset).toEqual(['4-5', '5-6', '6-7']);
    }
    // Loosen the phi slope to 0.002 rad/mm (≈ pT 0.15 GeV) and the slow track's segments come back.
    const loose = buildGraph(ev, { model }, graphConfig({ cuts: { phiSlopeMaxRadPerMm: 0.002 } }));
    expect(loose.src.length).toBe(6);
  });

  it('drops a track from z0 = 300 mm with the z0 ≤ 200 mm cut and keeps it at z0 ≤ 400 mm', () => {
    const displaced = helixHits([layer(8, 2), layer(8, 4), layer(8, 6)], 5, 1, -2, 0.5, 300, 5n);
    const ev = handEvent(displaced, [{ id: 5n, ptGeV: 5, vz: 300 }]);
    expect(buildGraph(ev, { model }, graphConfig({ preset: 'pt1' })).src.length).toBe(0);
    expect(buildGraph(ev, { model }, graphConfig({ cuts: { z0MaxMm: 400 } })).src.length).toBe(2);
  });

  it('bridges a missed barrel layer only with skipOneLayer', () => {
    const gap = helixHits([layer(8, 2), layer(8, 6), layer(8, 8)], 2, 1, 1.2, 0.5, 0, 6n);
    const ev = handEvent(gap, [{ id: 6n, ptGeV: 2 }]);
    const without = buildGraph(ev, { model }, graphConfig());
    expect(edgeMetrics(without).byPt.pt1).toMatchObject({ segments: 2, kept: 1 });
    const withSkip = buildGraph(ev, { model: modelSkip }, graphConfig({ skipOneLayer: true }));
    expect(edgeMetrics(withSkip).byPt.pt1).toMatchObject({ segments: 2, kept: 2, efficiency: 1 });
  });

  it('computes node and edge features from the hit positions', () => {
    const g = buildGraph(handEvent(crossing.slice(0, 2), [{ id: 1n, ptGeV: 1 }]), { model }, graphConfig());
    expect(g.nodeFeatures[0 * NODE_FEATURES + NODE_R]).toBeCloseTo(0.032, 6);
    expect(g.nodeFeatures[1 * NODE_FEATURES + NODE_Z]).toBeCloseTo(crossing[1].z / 1000, 6);
    expect(g.edgeFeatures[0 * EDGE_FEATURES + EDGE_DR]).toBeCloseTo(0.04, 6);
    expect(g.edgeFeatures[0 * EDGE_FEATURES + EDGE_DZ]).toBeCloseTo((crossing[1].z - crossing[0].z) / 1000, 6);
  });
});
