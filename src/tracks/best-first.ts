// Best-first paths: edges taken best score first while each hit keeps at most one edge in and one out (the branch
// resolver's core, also used inside resolveComponents), and the split of tracks shorter than minHits.
import type { Graph } from '../graph/graph.ts';
import { UnionFind } from './union-find.ts';

/** What the builders need of a graph: node hit ids, node layers and directed edges (node rows). */
export type ScoredGraph = Pick<Graph, 'hitId' | 'layer' | 'nodeFeatures' | 'src' | 'dst'>;

/** Branch resolver: edges at or above `threshold`, best score first, each accepted only while its inner hit has
 * no outgoing and its outer hit no incoming accepted edge. Edges run inner → outer, so the accepted ones form
 * disjoint simple paths: at a fork the better-scored branch wins and the other starts its own track. */
export function bestFirstPaths(
  graph: ScoredGraph,
  scores: Float32Array,
  threshold: number,
  attachThreshold: number,
): { label: Int32Array; count: number } {
  const { src, dst } = graph;
  const nNodes = graph.hitId.length;
  const order = edgesByScoreDesc(scores, threshold);
  const hasOut = new Uint8Array(nNodes);
  const hasIn = new Uint8Array(nNodes);
  const uf = new UnionFind(nNodes);
  for (let k = 0; k < order.length; k++) {
    const e = order[k];
    const a = src[e];
    const b = dst[e];
    if (hasOut[a] || hasIn[b]) continue;
    hasOut[a] = 1;
    hasIn[b] = 1;
    uf.union(a, b);
  }
  // Hits on no path: join the best-scored neighbour's track (an overlap hit beside a path hit).
  const bestScore = new Float32Array(nNodes).fill(-1);
  const bestNeighbour = new Int32Array(nNodes).fill(-1);
  for (let k = 0; k < order.length; k++) {
    const e = order[k];
    const s = scores[e];
    if (s < attachThreshold) break;
    const a = src[e];
    const b = dst[e];
    if (!hasOut[a] && !hasIn[a] && s > bestScore[a]) {
      bestScore[a] = s;
      bestNeighbour[a] = b;
    }
    if (!hasOut[b] && !hasIn[b] && s > bestScore[b]) {
      bestScore[b] = s;
      bestNeighbour[b] = a;
    }
  }
  for (let i = 0; i < nNodes; i++) {
    const j = bestNeighbour[i];
    // Only onto a path hit: two leftover hits pointing at each other would otherwise chain into a new track.
    if (j >= 0 && (hasOut[j] || hasIn[j])) uf.union(i, j);
  }
  return uf.labels();
}

/** Edge indices with score ≥ threshold, highest score first (ties: lower edge index first). A counting sort on
 * the score quantised to 2^16 levels: O(E), and the order within a level follows the index. */
function edgesByScoreDesc(scores: Float32Array, threshold: number): Uint32Array {
  const LEVELS = 1 << 16;
  const n = scores.length;
  const bucketOf = new Int32Array(n);
  const counts = new Uint32Array(LEVELS + 1);
  let kept = 0;
  for (let e = 0; e < n; e++) {
    const s = scores[e];
    if (!(s >= threshold)) {
      bucketOf[e] = -1;
      continue;
    }
    // Descending: bucket 0 holds the best scores.
    const b = LEVELS - 1 - Math.min(LEVELS - 1, Math.max(0, Math.floor(s * LEVELS)));
    bucketOf[e] = b;
    counts[b + 1]++;
    kept++;
  }
  for (let b = 0; b < LEVELS; b++) counts[b + 1] += counts[b];
  const order = new Uint32Array(kept);
  for (let e = 0; e < n; e++) {
    const b = bucketOf[e];
    if (b >= 0) order[counts[b]++] = e;
  }
  // Exact order inside a bucket matters only for near-equal scores; refine with a stable sort where needed.
  let start = 0;
  while (start < kept) {
    let end = start + 1;
    while (end < kept && bucketOf[order[end]] === bucketOf[order[start]]) end++;
    if (end - start > 1) {
      const slice = Array.from(order.subarray(start, end));
      slice.sort((x, y) => scores[y] - scores[x] || x - y);
      order.set(slice, start);
    }
    start = end;
  }
  return order;
}

export function splitShort(r: { label: Int32Array; count: number }, minHits: number): { label: Int32Array; count: number } {
  const size = new Int32Array(r.count);
  for (let i = 0; i < r.label.length; i++) size[r.label[i]]++;
  const newLabel = new Int32Array(r.count).fill(-1);
  const label = new Int32Array(r.label.length);
  let count = 0;
  for (let i = 0; i < r.label.length; i++) {
    const l = r.label[i];
    if (size[l] < minHits) label[i] = count++;
    else {
      if (newLabel[l] < 0) newLabel[l] = count++;
      label[i] = newLabel[l];
    }
  }
  return { label, count };
}
