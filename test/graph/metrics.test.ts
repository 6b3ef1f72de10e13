// edgeMetrics on a hand-made graph whose answer is counted on paper.
import { describe, expect, it } from 'vitest';
import type { Graph, NodeTruth } from '../../src/graph/graph.ts';
import { edgeMetrics } from '../../src/graph/metrics.ts';
import { labelEdges, trueSegments } from '../../src/graph/truth.ts';

// Nodes 0–3: particle A (pT 2 GeV) with ranks 0, 1, 1, 2 (nodes 1 and 2 share a layer); node 4 noise;
// nodes 5–6: particle B (pT 0.7 GeV), ranks 0, 1. Volumes: A and the noise in 8, B in 13.
const truth: NodeTruth = {
  particleId: BigUint64Array.from([11n, 11n, 11n, 11n, 0n, 22n, 22n]),
  particle: Int32Array.from([0, 0, 0, 0, -1, 1, 1]),
  rank: Int32Array.from([0, 1, 1, 2, -1, 0, 1]),
  ptGeV: Float32Array.from([2, 2, 2, 2, 0, 0.7, 0.7]),
  // B comes from a decay 30 mm off the beam axis: outside the prompt bins.
  vertexRMm: Float32Array.from([0.01, 0.01, 0.01, 0.01, 0, 30, 30]),
};
// Edges: 0→1 true, 1→3 true, 0→4 noise, 1→2 same layer (not a segment), 5→6 true.
const graph: Graph = {
  eventId: 'hand',
  hitId: Uint32Array.from([10, 11, 12, 13, 14, 15, 16]),
  volumeId: Uint8Array.from([8, 8, 8, 8, 8, 13, 13]),
  layer: Uint8Array.from([0, 1, 1, 2, 1, 5, 6]),
  nodeFeatures: new Float32Array(7 * 3),
  src: Uint32Array.from([0, 1, 0, 1, 5]),
  dst: Uint32Array.from([1, 3, 4, 2, 6]),
  edgeFeatures: new Float32Array(5 * 5),
  truth,
};

describe('true segments and labels', () => {
  it('joins every hit of a rank to every hit of the next rank of the same particle', () => {
    const seg = trueSegments(truth);
    const pairs = Array.from(seg.src, (s, i) => `${s}-${seg.dst[i]}`).sort();
    expect(pairs).toEqual(['0-1', '0-2', '1-3', '2-3', '5-6']);
  });

  it('labels consecutive same-particle edges 1 in either direction', () => {
    expect(Array.from(labelEdges(graph.src, graph.dst, truth))).toEqual([1, 1, 0, 0, 1]);
    expect(Array.from(labelEdges(Uint32Array.from([3, 6]), Uint32Array.from([1, 5]), truth))).toEqual([1, 1]);
  });
});

describe('edgeMetrics', () => {
  it('counts efficiency and purity by pT bin and by volume', () => {
    const m = edgeMetrics(graph);
    expect(m).toMatchObject({ nodes: 7, edges: 5, trueEdges: 3, purity: 3 / 5, edgesPerHit: 5 / 7 });
    // All: 5 segments, 3 kept. pT > 0.5: the same. pT > 1: A only, 4 segments, 2 kept; 2 of 5 edges are its.
    expect(m.byPt.all).toEqual({ segments: 5, kept: 3, efficiency: 3 / 5, purityInBin: 3 / 5 });
    expect(m.byPt.pt0p5).toEqual({ segments: 5, kept: 3, efficiency: 3 / 5, purityInBin: 3 / 5 });
    expect(m.byPt.pt1).toEqual({ segments: 4, kept: 2, efficiency: 2 / 4, purityInBin: 2 / 5 });
    expect(m.byPt.pt0p5Prompt).toEqual({ segments: 4, kept: 2, efficiency: 2 / 4, purityInBin: 2 / 5 });
    expect(m.byPt.pt1Prompt).toEqual(m.byPt.pt1);
    expect(m.byVolume['8']).toEqual({ segments: 4, kept: 2, efficiency: 0.5, edges: 4, trueEdges: 2, purity: 0.5 });
    expect(m.byVolume['13']).toEqual({ segments: 1, kept: 1, efficiency: 1, edges: 1, trueEdges: 1, purity: 1 });
  });

  it('uses the stored labels when the graph has them', () => {
    const m = edgeMetrics({ ...graph, y: Uint8Array.from([1, 0, 0, 0, 0]) });
    expect(m.trueEdges).toBe(1);
    expect(m.byPt.pt1.kept).toBe(1);
  });
});
