// An edge scoring exactly the threshold is kept — by the tracks stage (every method, and with the threshold left to
// its default), by the GNN metrics and by the viewer — and one a float32 step below is not (issue 22: `>` instead
// of `>=` survived the tests; sigmoid(0) is exactly the default threshold 0.5, so ties happen).
import { describe, expect, it } from 'vitest';
import { EDGE_FEATURES, type Graph } from '../../src/graph/graph.ts';
import { filterEdges, scoreMetrics } from '../../src/gnn/metrics.ts';
import { buildTracks, trackNodes, tracksConfig } from '../../src/tracks/index.ts';
import { componentLabels, countAtOrAbove } from '../../viewer/app/tracks.ts';
import { groupsOf, handGraph } from './hand-graph.ts';

const BELOW = Math.fround(0.5 - 2 ** -25); // the float32 just below 0.5
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

// Two chains on layers 0-1-2, far apart in φ: A (hits 1-3) joined by edges scoring exactly 0.5, B (hits 11-13) by
// edges a float32 step below.
const nodes = [0, 1, 2].flatMap((l) => [
  { hitId: 1 + l, layer: l, rMm: 40 * (l + 1), phiRad: 0, zMm: 10 * (l + 1) },
  { hitId: 11 + l, layer: l, rMm: 40 * (l + 1), phiRad: 2, zMm: 10 * (l + 1) },
]);
// Node rows: A = 0, 2, 4; B = 1, 3, 5.
const { graph, scores } = handGraph(nodes, [
  [0, 2, 0.5],
  [2, 4, 0.5],
  [1, 3, BELOW],
  [3, 5, BELOW],
]);

describe('score = threshold keeps the edge', () => {
  it('sigmoid(0) is exactly 0.5 and BELOW is the next float32 down', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(Math.fround(sigmoid(0))).toBe(0.5);
    expect(BELOW).toBeLessThan(0.5);
  });

  it.each(['components', 'resolve', 'paths'] as const)('tracks (%s): A joined, B not; threshold given or defaulted', (method) => {
    for (const cfg of [tracksConfig({ method, threshold: 0.5, stitchThreshold: 0.6 }), tracksConfig({ method, stitchThreshold: 0.6 })]) {
      const { label } = trackNodes(graph, scores, cfg);
      expect(groupsOf(graph, label)).toEqual([[1, 2, 3], [11], [12], [13]]);
    }
  });

  it('buildTracks: hit ids of A share one track id, B’s are apart', () => {
    const ids = buildTracks(graph.hitId, graph, scores, tracksConfig({ method: 'components', stitchThreshold: 0.6 }));
    expect(new Set([ids[0], ids[2], ids[4]]).size).toBe(1);
    expect(new Set([ids[1], ids[3], ids[5], ids[0]]).size).toBe(4);
  });

  it('GNN metrics: selected counts and the filtered graph keep the tie', () => {
    const full: Graph = {
      eventId: 'event000000001',
      ...graph,
      volumeId: new Uint8Array(6).fill(8),
      edgeFeatures: new Float32Array(4 * EDGE_FEATURES),
      y: new Uint8Array([1, 1, 1, 0]),
    };
    const m = scoreMetrics(full, scores, 0.5);
    expect([m.selected, m.selectedTrue, m.efficiency, m.purity]).toEqual([2, 2, 2 / 3, 1]);
    expect([...filterEdges(full, scores, 0.5).src]).toEqual([0, 2]);
    expect(scoreMetrics(full, scores, BELOW).selected).toBe(4);
  });

  it('viewer: the edges at or above the threshold are the tie and nothing below', () => {
    // The page gets edges sorted by descending score.
    const sorted = new Float32Array([0.75, 0.5, 0.5, BELOW, BELOW, 0.125]);
    expect(countAtOrAbove(sorted, 0.5)).toBe(3);
    expect(countAtOrAbove(sorted, BELOW)).toBe(5);
    expect(countAtOrAbove(sorted, 0.75)).toBe(1);
    expect(countAtOrAbove(sorted, 0)).toBe(6);
    expect(countAtOrAbove(sorted, 1)).toBe(0);
    expect(countAtOrAbove(new Float32Array(0), 0.5)).toBe(0);
    // Through an order (the true edges, in score order), and on a prefix.
    expect(countAtOrAbove(new Float32Array([BELOW, 0.5, 0.25, 0.75]), 0.5, new Uint32Array([3, 1, 0, 2]))).toBe(2);
    expect(countAtOrAbove(sorted, 0, undefined, 2)).toBe(2);
    // Page tracks from the hand graph's edges, sorted: A's edges (0.5) first, then B's.
    const count = countAtOrAbove(new Float32Array([0.5, 0.5, BELOW, BELOW]), 0.5);
    const label = componentLabels(6, graph.src, graph.dst, count);
    expect(groupsOf(graph, label)).toEqual([[1, 2, 3], [11], [12], [13]]);
  });
});
