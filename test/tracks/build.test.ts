// Union-find, connected components and the branch resolvers on hand-made graphs whose right answer is obvious.
import { describe, expect, it } from 'vitest';
import { buildTracks, connectedComponents, trackNodes, tracksConfig, UnionFind } from '../../src/tracks/index.ts';
import { chain, groupsOf, handGraph } from './hand-graph.ts';

describe('UnionFind', () => {
  it('joins sets, keeps sizes, and labels components densely in order of first element', () => {
    const uf = new UnionFind(6);
    expect(uf.union(0, 1)).toBe(true);
    expect(uf.union(3, 4)).toBe(true);
    expect(uf.union(1, 4)).toBe(true);
    expect(uf.union(0, 3)).toBe(false); // already one set
    expect(uf.size[uf.find(0)]).toBe(4);
    expect(uf.find(1)).toBe(uf.find(4));
    const { label, count } = uf.labels();
    expect(count).toBe(3);
    expect([...label]).toEqual([0, 0, 1, 0, 0, 2]);
  });

  it('stays shallow on a long chain (path halving + union by size)', () => {
    const n = 100_000;
    const uf = new UnionFind(n);
    for (let i = 1; i < n; i++) uf.union(i - 1, i);
    expect(uf.size[uf.find(n - 1)]).toBe(n);
    // Union by size hangs each new singleton under the big root: every node is one step from it.
    let maxDepth = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = i; uf.parent[j] !== j; j = uf.parent[j]) d++;
      maxDepth = Math.max(maxDepth, d);
    }
    expect(maxDepth).toBeLessThanOrEqual(1);
  });
});

describe('connectedComponents', () => {
  it('uses only the kept edges', () => {
    // 0-1-2 and 3-4, with edge 2→3 dropped by the mask.
    const src = Uint32Array.from([0, 1, 2, 3]);
    const dst = Uint32Array.from([1, 2, 3, 4]);
    const { label, count } = connectedComponents(5, src, dst, Uint8Array.from([1, 1, 0, 1]));
    expect(count).toBe(2);
    expect([...label]).toEqual([0, 0, 0, 1, 1]);
  });
});

// Two clean 5-hit tracks far apart in φ (A: hits 100–104, B: 200–204) with true edges at 0.95.
function twoTracks(fakeScore: number, trueScore = 0.95) {
  const a = chain(0, 100, 0, 5, trueScore);
  const b = chain(5, 200, 0.5, 5, trueScore);
  // One wrong edge A2 → B3 (rows 2 → 8).
  return handGraph([...a.nodes, ...b.nodes], [...a.edges, ...b.edges, [2, 8, fakeScore]]);
}
const A = [100, 101, 102, 103, 104];
const B = [200, 201, 202, 203, 204];

describe('track builders', () => {
  it('components: a wrong edge above threshold merges two tracks (the failure the resolvers fix)', () => {
    const { graph, scores } = twoTracks(0.7);
    const { label } = trackNodes(graph, scores, tracksConfig({ method: 'components', threshold: 0.5 }));
    expect(groupsOf(graph, label)).toEqual([[...A, ...B]]);
  });

  it('components: a wrong edge below threshold is ignored', () => {
    const { graph, scores } = twoTracks(0.3);
    const { label } = trackNodes(graph, scores, tracksConfig({ method: 'components', threshold: 0.5 }));
    expect(groupsOf(graph, label)).toEqual([A, B]);
  });

  it('resolve: a merged component (two far-apart hits on one layer) is split by the threshold ladder', () => {
    const { graph, scores } = twoTracks(0.7);
    const { label } = trackNodes(graph, scores, tracksConfig({ method: 'resolve', threshold: 0.5 }));
    expect(groupsOf(graph, label)).toEqual([A, B]);
  });

  it('resolve: when the wrong edge outscores every rung, best-first paths keep each hit on one simple path', () => {
    // True edges 0.99, wrong edge 0.985 (above the top rung 0.98): components cannot separate them; the path
    // step takes the 0.99 edges first, after which A2 already has its outgoing edge.
    const { graph, scores } = twoTracks(0.985, 0.99);
    const { label } = trackNodes(graph, scores, tracksConfig({ method: 'resolve', threshold: 0.5 }));
    expect(groupsOf(graph, label)).toEqual([A, B]);
  });

  it('resolve: two close hits on one layer (a module overlap) stay in one track', () => {
    // A 4-layer track plus hit 150 on layer 1, 3 mm from hit 101, joined to hits 100 and 102.
    const a = chain(0, 100, 0, 4, 0.95);
    const overlap = { hitId: 150, layer: 1, rMm: 80, phiRad: 3 / 80, zMm: 20 };
    const { graph, scores } = handGraph([...a.nodes, overlap], [...a.edges, [0, 4, 0.9], [4, 2, 0.9]]);
    for (const method of ['components', 'resolve'] as const) {
      const { label } = trackNodes(graph, scores, tracksConfig({ method, threshold: 0.5 }));
      expect(groupsOf(graph, label)).toEqual([[100, 101, 102, 103, 150]]);
    }
  });

  it('paths: at a fork the better-scored branch continues the track, the other starts its own', () => {
    // 0 → 1 → 2 and a fork 1 → 3 (3 on layer 2 far from 2), scored lower.
    const { graph, scores } = handGraph(
      [
        { hitId: 10, layer: 0, rMm: 40, phiRad: 0, zMm: 0 },
        { hitId: 11, layer: 1, rMm: 80, phiRad: 0, zMm: 0 },
        { hitId: 12, layer: 2, rMm: 120, phiRad: 0, zMm: 0 },
        { hitId: 13, layer: 2, rMm: 120, phiRad: 0.3, zMm: 0 },
      ],
      [
        [0, 1, 0.9],
        [1, 2, 0.8],
        [1, 3, 0.6],
      ],
    );
    const { label } = trackNodes(graph, scores, tracksConfig({ method: 'paths', threshold: 0.5, attachThreshold: 0.95 }));
    expect(groupsOf(graph, label)).toEqual([[10, 11, 12], [13]]);
  });

  it('minHits splits short tracks into single hits', () => {
    const a = chain(0, 100, 0, 4, 0.9);
    const b = chain(4, 200, 1, 2, 0.9);
    const { graph, scores } = handGraph([...a.nodes, ...b.nodes], [...a.edges, ...b.edges]);
    const { label } = trackNodes(graph, scores, tracksConfig({ method: 'components', threshold: 0.5, minHits: 3 }));
    expect(groupsOf(graph, label)).toEqual([[100, 101, 102, 103], [200], [201]]);
  });
});

describe('buildTracks', () => {
  it('gives every event hit exactly one track id; hits outside the graph get their own', () => {
    const { graph, scores } = twoTracks(0.3);
    // Event: the graph's 10 hits in another order plus 3 hits the graph does not hold (e.g. strip hits).
    const eventHitIds = Uint32Array.from([204, 900, 100, 101, 102, 103, 104, 901, 200, 201, 202, 203, 902]);
    const trackId = buildTracks(eventHitIds, graph, scores, tracksConfig({ threshold: 0.5 }));
    expect(trackId.length).toBe(eventHitIds.length);
    const byHit = new Map([...eventHitIds].map((h, i) => [h, trackId[i]]));
    for (const h of A) expect(byHit.get(h)).toBe(byHit.get(100));
    for (const h of B) expect(byHit.get(h)).toBe(byHit.get(200));
    expect(byHit.get(100)).not.toBe(byHit.get(200));
    const ids = new Set([byHit.get(100), byHit.get(200), byHit.get(900), byHit.get(901), byHit.get(902)]);
    expect(ids.size).toBe(5); // two tracks + three single-hit tracks, all distinct
    for (const id of trackId) expect(id).toBeGreaterThan(0n);
  });

  it('rejects a score array that does not match the edges', () => {
    const { graph } = twoTracks(0.3);
    expect(() => buildTracks(graph.hitId, graph, new Float32Array(2), tracksConfig())).toThrow(/scores/);
  });
});

describe('stitching fragments', () => {
  // One particle, 6 hits on layers 0–5, whose middle edge (2 → 3) scored low; a second particle B on layers 0–5
  // elsewhere; a low wrong edge A2 → B3 as well.
  function split(missed: number, wrong: number) {
    const a = chain(0, 100, 0, 6, 0.9);
    a.edges[2][2] = missed; // edge 2 → 3
    const b = chain(6, 200, 0.5, 6, 0.9);
    return handGraph([...a.nodes, ...b.nodes], [...a.edges, ...b.edges, [2, 9, wrong]]);
  }
  const A6 = [100, 101, 102, 103, 104, 105];
  const B6 = [200, 201, 202, 203, 204, 205];

  it('joins the two halves of a track over the best low edge from an end to a start, not into a busy track', () => {
    const { graph, scores } = split(0.2, 0.15);
    const without = trackNodes(graph, scores, tracksConfig({ method: 'resolve', threshold: 0.5, stitchThreshold: 1 }));
    expect(groupsOf(graph, without.label)).toEqual([[100, 101, 102], [103, 104, 105], B6]);
    // The wrong edge A2 → B3 also leaves A's last hit, but B3 already has an incoming edge in its track: only the
    // right edge qualifies.
    const { label } = trackNodes(graph, scores, tracksConfig({ method: 'resolve', threshold: 0.5, stitchThreshold: 0.1 }));
    expect(groupsOf(graph, label)).toEqual([A6, B6]);
  });

  it('leaves the halves apart when the edge is below the stitch threshold', () => {
    const { graph, scores } = split(0.05, 0.01);
    const { label } = trackNodes(graph, scores, tracksConfig({ method: 'resolve', threshold: 0.5, stitchThreshold: 0.1 }));
    expect(groupsOf(graph, label)).toEqual([[100, 101, 102], [103, 104, 105], B6]);
  });

  it('never joins two tracks that share a layer', () => {
    // Two 3-hit fragments on layers 0–2 and 1–3 (overlapping layers 1, 2) joined by an edge from the first's end.
    const a = chain(0, 100, 0, 3, 0.9);
    const nodes = [...a.nodes, ...[1, 2, 3].map((l) => ({ hitId: 300 + l, layer: l, rMm: 40 * (l + 1), phiRad: 0.01, zMm: 10 * (l + 1) }))];
    const { graph, scores } = handGraph(nodes, [...a.edges, [3, 4, 0.9], [4, 5, 0.9], [2, 3, 0.3]]);
    const { label } = trackNodes(graph, scores, tracksConfig({ method: 'resolve', threshold: 0.5, stitchThreshold: 0.1 }));
    expect(groupsOf(graph, label)).toEqual([
      [100, 101, 102],
      [301, 302, 303],
    ]);
  });
});
