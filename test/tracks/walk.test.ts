// The GNN-only builder (CC + walk) on hand-made scored graphs whose right answer is obvious.
import { describe, expect, it } from 'vitest';
import { trackNodes, tracksConfig } from '../../src/tracks/index.ts';
import { ccWalk, walkConfigSchema } from '../../src/tracks/walk.ts';
import { chain, groupsOf, handGraph, type HandNode } from './hand-graph.ts';

const walk = (overrides = {}) => walkConfigSchema.parse(overrides);

describe('ccWalk', () => {
  it('keeps clean components as they are, a module-overlap pair included', () => {
    const a = chain(0, 100, 0, 5, 0.9);
    // An overlap hit on layer 2 beside track A's (1 mm away), joined to A's hits on layers 1 and 3.
    const overlap: HandNode = { hitId: 150, layer: 2, rMm: 120, phiRad: 0.008, zMm: 30 };
    const { graph, scores } = handGraph([...a.nodes, overlap], [...a.edges, [1, 5, 0.8], [5, 3, 0.8]]);
    const { label } = ccWalk(graph, scores, 0.5, walk());
    expect(groupsOf(graph, label)).toEqual([[100, 101, 102, 103, 104, 150]]);
  });

  it('walks a merged component apart at the junction, the helix deciding between near-equal scores', () => {
    // Track A at φ = 0 and track B at φ = 0.2 share nothing, but A's hit on layer 2 has edges to both A's and B's
    // hits on layer 3, the wrong one scoring a little higher: only the helix (A runs straight) tells them apart.
    const a = chain(0, 100, 0, 6, 0.9);
    const b = chain(6, 200, 0.2, 6, 0.9);
    for (const v of b.nodes) v.zMm += 5; // B's hits a little farther out: A is walked first
    const edges = [...a.edges, ...b.edges, [2, 9, 0.92] as [number, number, number]];
    const { graph, scores } = handGraph([...a.nodes, ...b.nodes], edges);
    const { label } = ccWalk(graph, scores, 0.5, walk());
    expect(groupsOf(graph, label)).toEqual([
      [100, 101, 102, 103, 104, 105],
      [200, 201, 202, 203, 204, 205],
    ]);
  });

  it('does not let a noise hit lead a walk onto a track', () => {
    // A noise hit on layer 0, nearer the origin than the tracks' first hits (so walked first), with weak edges into
    // A's and B's hits on layer 1 (their own hits on layer 0 score higher into them); a wrong edge between the two
    // tracks makes one merged component that has to be walked.
    const a = chain(0, 100, 0, 5, 0.9);
    const b = chain(5, 200, 0.3, 5, 0.9);
    const noise: HandNode = { hitId: 999, layer: 0, rMm: 30, phiRad: -1, zMm: 0 };
    const { graph, scores } = handGraph(
      [...a.nodes, ...b.nodes, noise],
      [...a.edges, ...b.edges, [10, 1, 0.55], [10, 6, 0.55], [2, 8, 0.6]],
    );
    const { label } = ccWalk(graph, scores, 0.5, walk());
    const groups = groupsOf(graph, label);
    expect(groups).toContainEqual([100, 101, 102, 103, 104]);
    expect(groups).toContainEqual([200, 201, 202, 203, 204]);
    expect(groups).toContainEqual([999]);
  });

  it('undoes walks shorter than minHits', () => {
    const a = chain(0, 100, 0, 2, 0.9);
    const b = chain(2, 200, 0.5, 5, 0.9);
    // Hits 100 and 101 sit on B's layers 0 and 1, 20 and 40 mm off B's: one merged component; the walk from 100
    // cannot go on into B (B's own edge into its hit scores higher) and stops after two hits.
    const { graph, scores } = handGraph([...a.nodes, ...b.nodes], [...a.edges, ...b.edges, [1, 4, 0.7]]);
    const { label } = ccWalk(graph, scores, 0.5, walk({ minHits: 3 }));
    const groups = groupsOf(graph, label);
    expect(groups).toContainEqual([200, 201, 202, 203, 204]);
    expect(groups).toContainEqual([100]);
    expect(groups).toContainEqual([101]);
  });

  it("is the tracks config's 'ccwalk' method", () => {
    const a = chain(0, 100, 0, 5, 0.9);
    const { graph, scores } = handGraph(a.nodes, a.edges);
    const { label, count } = trackNodes(graph, scores, tracksConfig({ method: 'ccwalk', threshold: 0.5 }));
    expect(count).toBe(1);
    expect(new Set(label).size).toBe(1);
  });
});
