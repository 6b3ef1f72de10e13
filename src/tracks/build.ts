// Scored graph → tracks: every event hit gets exactly one track id. Two builders: connected components of the
// edges above threshold (baseline), and a branch resolver that keeps at most one edge in and one edge out per hit,
// taking edges best score first, then hangs leftover hits (module overlaps) on their best-scored neighbour's track.
import { z } from 'zod';
import { NODE_FEATURES, NODE_PHI, NODE_R, NODE_Z, R_SCALE_MM, Z_SCALE_MM, type Graph } from '../graph/graph.ts';
import { hitRowLookup } from '../trackml/hit-lookup.ts';
import type { Hits } from '../trackml/types.ts';
import { extendConfigSchema, extendInwards, extendIntoStrips } from './extend.ts';
import { attachOverlapHits, overlapConfigSchema } from './overlaps.ts';
import { seedAndFollow, seedConfigSchema } from './seeds.ts';
import { connectedComponents, UnionFind } from './union-find.ts';
import { ccWalk, walkConfigSchema } from './walk.ts';

export const tracksConfigSchema = z.strictObject({
  /** 'components': union-find over edges ≥ threshold (baseline); 'resolve': components, then each component
   * that holds more hits than one particle would (see maxExtraHits) is split by raising the threshold along
   * `ladder`, and what is still merged at the top is cut into best-first paths; 'paths': best-first paths only;
   * 'ccwalk': components, and walks through the merged ones (src/tracks/walk.ts, the GNN-only builder). */
  method: z.enum(['components', 'resolve', 'paths', 'ccwalk']).default('resolve'),
  /** Edge score an edge needs to join two hits. Omitted: the model's calibrated threshold (or 0.5). */
  threshold: z.number().min(0).max(1).optional(),
  /** 'paths' only: a hit left without any path edge joins its best neighbour's track when that edge scores at
   * least this (module overlaps: two hits of one particle on one layer cannot both be on a simple path). */
  attachThreshold: z.number().min(0).max(1).default(0.5),
  /** 'resolve': thresholds tried in turn on a merged component (values below `threshold` are skipped). */
  ladder: z.array(z.number().min(0).max(1)).default([0.6, 0.7, 0.8, 0.9, 0.95, 0.98]),
  /** 'resolve': a component is one particle when, on every layer, its hits lie within this distance (mm) of
   * the first one seen there: one particle leaves close hits on a layer (module overlaps, double-sided
   * layers); two merged particles leave hits centimetres apart. */
  sameLayerMaxMm: z.number().positive().default(20),
  /** After building: two tracks are joined by an edge scoring at least this (but below the threshold) when that
   * edge runs from the inner track's last hit to the outer track's first hit and the two tracks share no layer —
   * one missed edge no longer cuts a particle in two. At or above the threshold: no stitching. The default is
   * what pipelines/pipeline-default.yaml has always set, so a run without a config gets the same tracks. */
  stitchThreshold: z.number().min(0).max(1).default(0.1),
  /** 'ccwalk' settings (src/tracks/walk.ts). */
  walk: walkConfigSchema.prefault({}),
  /** Tracks with fewer hits are split into single-hit tracks (1 = keep everything). */
  minHits: z.number().int().min(1).default(1),
  /** buildEventTracks: extend tracks into the strip layers by helix extrapolation (src/tracks/extend.ts). */
  extend: extendConfigSchema.prefault({}),
  /** buildEventTracks, last: new tracks from triplets of free pixel hits, followed through every layer
   * (src/tracks/seeds.ts) — particles the graph does not cover (below its pT cut). */
  seeds: seedConfigSchema.prefault({}),
  /** buildEventTracks, after the seeds: a single-hit track next to a track's hit on the same layer, on the
   * line the track runs along, joins it (module overlaps; src/tracks/overlaps.ts). */
  overlaps: overlapConfigSchema.prefault({}),
  /** buildEventTracks, last: a second seed round on the hits still single after every step above — `seeds` again,
   * with these settings, only single hits free, no secondaries round — then the overlap step again. With fewer free
   * hits the seeds that the first round's seedsPerHit cut dropped survive, and shorter tracks are safe to build once
   * every longer one holds its hits: on simulated MU = 200 events 0.882 → 0.899 (npm start's) and 0.885 → 0.901
   * (the pipeline benchmark's), real sample 0.872 → 0.885; fake rate of pT > 1 tracks 0.007 → 0.008 (minHits 4:
   * 0.901 / 0.902 / 0.891 at a fake rate of 0.010, too close to the 0.01 target). */
  late: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Tracks of at least this many hits (the first round keeps seeds.minHits). */
      minHits: z.number().int().min(3).default(5),
      /** Triplets that skip a layer (seeds.skipLayerTriplets is for the first round). */
      skipLayerTriplets: z.boolean().default(true),
      /** Tracks whose hits all lie in the pixel detector from this many hits (particles that stop or leave early):
       * 4 instead of 5 raised the score by 0.002 on three simulated event sets and 0.006 on the real sample, fake rate
       * of pT > 1 tracks 0.007 → 0.009 (4 for every track: 0.010). */
      pixelOnlyMinHits: z.number().int().min(3).default(4),
    })
    .prefault({}),
});
export type TracksConfig = z.output<typeof tracksConfigSchema>;
export type TracksConfigInput = z.input<typeof tracksConfigSchema>;

export function tracksConfig(input: TracksConfigInput = {}): TracksConfig {
  return tracksConfigSchema.parse(input);
}

/** What the builders need of a graph: node hit ids, node layers and directed edges (node rows). */
export type ScoredGraph = Pick<Graph, 'hitId' | 'layer' | 'nodeFeatures' | 'src' | 'dst'>;

/** One track label per graph node (dense, 0..count−1). */
export function trackNodes(graph: ScoredGraph, scores: Float32Array, config: TracksConfig): { label: Int32Array; count: number } {
  const nEdges = graph.src.length;
  if (scores.length !== nEdges) throw new Error(`trackNodes: ${scores.length} scores for ${nEdges} edges`);
  const threshold = config.threshold ?? 0.5;
  const nNodes = graph.hitId.length;
  let result: { label: Int32Array; count: number };
  if (config.method === 'components') {
    const keep = new Uint8Array(nEdges);
    for (let e = 0; e < nEdges; e++) keep[e] = scores[e] >= threshold ? 1 : 0;
    result = connectedComponents(nNodes, graph.src, graph.dst, keep);
  } else if (config.method === 'ccwalk') {
    result = ccWalk(graph, scores, threshold, config.walk);
  } else if (config.method === 'paths') {
    result = bestFirstPaths(graph, scores, threshold, config.attachThreshold);
  } else {
    result = resolveComponents(graph, scores, threshold, config);
  }
  if (config.stitchThreshold < threshold) result = stitchFragments(graph, scores, result, threshold, config.stitchThreshold);
  return config.minHits > 1 ? splitShort(result, config.minHits) : result;
}

/** Joins track fragments end to end over edges scoring in [low, threshold): best edge first; an edge qualifies when
 * its inner hit has no edge ≥ threshold leaving it inside its own track and its outer hit none entering inside its
 * own, and the two tracks have no layer in common (a particle crosses each layer once, overlaps aside). */
export function stitchFragments(
  graph: ScoredGraph, scores: Float32Array, tracks: { label: Int32Array; count: number }, threshold: number, low: number,
): { label: Int32Array; count: number } {
  const { src, dst, layer } = graph;
  const n = graph.hitId.length;
  const hasOut = new Uint8Array(n);
  const hasIn = new Uint8Array(n);
  const cand: number[] = [];
  for (let e = 0; e < src.length; e++) {
    const a = src[e];
    const b = dst[e];
    if (tracks.label[a] === tracks.label[b]) {
      if (scores[e] >= threshold) {
        hasOut[a] = 1;
        hasIn[b] = 1;
      }
    } else if (scores[e] >= low && scores[e] < threshold) cand.push(e);
  }
  if (cand.length === 0) return tracks;
  cand.sort((p, q) => scores[q] - scores[p]);
  // Nodes by track (counting sort), so a track's layer set is built only when a candidate edge touches it; merged
  // tracks keep the root's set.
  const start = new Int32Array(tracks.count + 1);
  for (let i = 0; i < n; i++) start[tracks.label[i] + 1]++;
  for (let t = 0; t < tracks.count; t++) start[t + 1] += start[t];
  const fill = start.slice(0, tracks.count);
  const byTrack = new Int32Array(n);
  for (let i = 0; i < n; i++) byTrack[fill[tracks.label[i]]++] = i;
  const layers = new Map<number, Set<number>>();
  const layersOf = (t: number): Set<number> => {
    let set = layers.get(t);
    if (!set) {
      set = new Set<number>();
      for (let k = start[t]; k < start[t + 1]; k++) set.add(layer[byTrack[k]]);
      layers.set(t, set);
    }
    return set;
  };
  const uf = new UnionFind(tracks.count);
  for (const e of cand) {
    const a = src[e];
    const b = dst[e];
    if (hasOut[a] || hasIn[b]) continue;
    const ta = uf.find(tracks.label[a]);
    const tb = uf.find(tracks.label[b]);
    if (ta === tb) continue;
    const [la, lb] = [layersOf(ta), layersOf(tb)];
    const [small, big] = la.size < lb.size ? [la, lb] : [lb, la];
    let shared = false;
    for (const l of small) if (big.has(l)) {
      shared = true;
      break;
    }
    if (shared) continue;
    uf.union(ta, tb);
    for (const l of small) big.add(l);
    layers.set(uf.find(ta), big);
    hasOut[a] = 1;
    hasIn[b] = 1;
  }
  const trackLabel = uf.labels();
  return { label: Int32Array.from(tracks.label, (t) => trackLabel.label[t]), count: trackLabel.count };
}

/** Components of the edges ≥ threshold; a component with too many hits for its layers (two particles joined by
 * a wrong edge) is split by re-running components on its own edges at each ladder threshold in turn, keeping
 * the parts that now look like one particle; what is still merged after the last rung becomes best-first paths. */
export function resolveComponents(graph: ScoredGraph, scores: Float32Array, threshold: number, config: TracksConfig): { label: Int32Array; count: number } {
  const nNodes = graph.hitId.length;
  const { src, dst, layer } = graph;
  // `uf` collects settled tracks; `open` marks nodes still in a merged component.
  const uf = new UnionFind(nNodes);
  const open = new Uint8Array(nNodes).fill(1);
  const rungs = [threshold, ...config.ladder.filter((t) => t > threshold)];
  // First node seen on each layer of the component being judged (−1: none yet).
  const seenLayer = new Int32Array(256).fill(-1);
  const xyz = nodePositionsMm(graph);
  const maxD2 = config.sameLayerMaxMm ** 2;
  const dist2 = (i: number, j: number): number => {
    const dx = xyz[3 * i] - xyz[3 * j];
    const dy = xyz[3 * i + 1] - xyz[3 * j + 1];
    const dz = xyz[3 * i + 2] - xyz[3 * j + 2];
    return dx * dx + dy * dy + dz * dz;
  };
  // Candidate edges, narrowed rung by rung (higher threshold, both ends still open): later rungs touch only
  // the few edges of merged components.
  let cand = new Uint32Array(src.length);
  let nCand = 0;
  for (let e = 0; e < src.length; e++) if (scores[e] >= threshold) cand[nCand++] = e;
  cand = cand.subarray(0, nCand);
  const part = new UnionFind(nNodes);
  const root = new Int32Array(nNodes);
  const count = new Int32Array(nNodes);
  const begin = new Int32Array(nNodes);
  const fill = new Int32Array(nNodes);
  const members = new Int32Array(nNodes);
  let openNodes = Int32Array.from({ length: nNodes }, (_, i) => i);
  for (let r = 0; r < rungs.length && openNodes.length > 0; r++) {
    const t = rungs[r];
    let kept = 0;
    for (let k = 0; k < cand.length; k++) {
      const e = cand[k];
      if (scores[e] >= t && open[src[e]] && open[dst[e]]) cand[kept++] = e;
    }
    cand = cand.subarray(0, kept);
    // Components of the open nodes over the candidate edges at this rung (reset only the open nodes).
    for (const i of openNodes) {
      part.parent[i] = i;
      part.size[i] = 1;
    }
    for (let k = 0; k < cand.length; k++) part.union(src[cand[k]], dst[cand[k]]);
    // Group open nodes by component root: counting sort over the open nodes only.
    const roots: number[] = [];
    for (const i of openNodes) {
      const c = (root[i] = part.find(i));
      if (count[c] === 0) roots.push(c);
      count[c]++;
    }
    let total = 0;
    for (const c of roots) {
      begin[c] = fill[c] = total;
      total += count[c];
      count[c] = 0; // reset for the next rung
    }
    for (const i of openNodes) members[fill[root[i]]++] = i;
    for (const c of roots) {
      const a = begin[c];
      const b = fill[c];
      let clean = true;
      for (let k = a; k < b && clean; k++) {
        const i = members[k];
        const l = layer[i];
        if (seenLayer[l] < 0) seenLayer[l] = i;
        else clean = dist2(seenLayer[l], i) <= maxD2;
      }
      for (let k = a; k < b; k++) seenLayer[layer[members[k]]] = -1;
      // A lone hit cut off by a higher rung settles too, as a single-hit track: leaving it open for the path
      // step below was measured to add more fake tracks (0.013 → 0.04 at pT > 1) than it found particles.
      if (clean) {
        // One particle's worth: settle it as one track.
        for (let k = a; k < b; k++) {
          uf.union(members[a], members[k]);
          open[members[k]] = 0;
        }
      }
    }
    openNodes = openNodes.filter((i) => open[i] === 1);
  }
  // Still merged after the top rung: best-first paths over the open nodes' edges at the base threshold, with
  // overlap hits attached to their best path neighbour.
  if (openNodes.length > 0) {
    const sub = new Float32Array(scores.length);
    for (let e = 0; e < src.length; e++) sub[e] = open[src[e]] && open[dst[e]] ? scores[e] : -1;
    const paths = bestFirstPaths(graph, sub, threshold, Math.max(threshold, config.attachThreshold));
    const first = new Int32Array(paths.count).fill(-1);
    for (let i = 0; i < nNodes; i++) {
      if (!open[i]) continue;
      const l = paths.label[i];
      if (first[l] < 0) first[l] = i;
      else uf.union(first[l], i);
    }
  }
  return uf.labels();
}

/** Node x, y, z in mm from the scaled (r, φ, z) node features. */
function nodePositionsMm(graph: ScoredGraph): Float32Array {
  const n = graph.hitId.length;
  const f = graph.nodeFeatures;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const r = f[i * NODE_FEATURES + NODE_R] * R_SCALE_MM;
    const phi = f[i * NODE_FEATURES + NODE_PHI] * Math.PI;
    out[3 * i] = r * Math.cos(phi);
    out[3 * i + 1] = r * Math.sin(phi);
    out[3 * i + 2] = f[i * NODE_FEATURES + NODE_Z] * Z_SCALE_MM;
  }
  return out;
}

/** Branch resolver: edges at or above `threshold`, best score first, each accepted only while its inner hit has
 * no outgoing and its outer hit no incoming accepted edge. Edges run inner → outer, so the accepted ones form
 * disjoint simple paths: at a fork the better-scored branch wins and the other starts its own track. */
export function bestFirstPaths(graph: ScoredGraph, scores: Float32Array, threshold: number, attachThreshold: number): { label: Int32Array; count: number } {
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

function splitShort(r: { label: Int32Array; count: number }, minHits: number): { label: Int32Array; count: number } {
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

/** buildTracks(eventHitIds, graph, scores, config) → one track id (≥ 1) per event hit row. Graph nodes take
 * their track's id; event hits not in the graph (strip hits of a pixel-only graph, hits no edge reached) get an
 * id of their own, so every hit is in exactly one track. */
export function buildTracks(eventHitIds: Uint32Array, graph: ScoredGraph, scores: Float32Array, config: TracksConfig): BigInt64Array {
  const { label, count } = trackNodes(graph, scores, config);
  const rowOf = hitRowLookup(eventHitIds);
  const trackOfRow = new Float64Array(eventHitIds.length).fill(-1);
  for (let k = 0; k < graph.hitId.length; k++) {
    const r = rowOf(graph.hitId[k]);
    if (r < 0) throw new Error(`buildTracks: graph hit id ${graph.hitId[k]} is not in the event`);
    trackOfRow[r] = label[k] + 1;
  }
  const trackId = new BigInt64Array(eventHitIds.length);
  let next = count + 1;
  for (let r = 0; r < eventHitIds.length; r++) trackId[r] = BigInt(trackOfRow[r] >= 0 ? trackOfRow[r] : next++);
  return trackId;
}

/** buildEventTracks(hits, graph, scores, config): buildTracks, then (each when enabled) tracks of ≥ 3 hits take
 * the strip hits their helix passes through — the graph may hold pixel hits only —, seeded tracks from free hits,
 * free pixel hits inside each track's innermost hit and in its pixel holes, the second hits of module overlaps, and
 * a late seed round on the hits still single (then overlaps again). */
export function buildEventTracks(hits: Hits, graph: ScoredGraph, scores: Float32Array, config: TracksConfig): BigInt64Array {
  const trackId = buildTracks(hits.hitId, graph, scores, config);
  const extended = config.extend.enabled ? extendIntoStrips(hits, trackId, config.extend) : trackId;
  const seeded = config.seeds.enabled ? seedAndFollow(hits, extended, config.seeds, config.extend) : extended;
  const inwards = config.extend.enabled && config.extend.inwards
    ? extendInwards(hits, seeded, config.extend.minHits, { acrossMm: config.extend.inwardsAcrossMm, alongMm: config.extend.inwardsAlongMm })
    : seeded;
  const overlaps = config.overlaps.enabled ? attachOverlapHits(hits, inwards, config.overlaps) : inwards;
  if (!config.seeds.enabled || !config.late.enabled) return overlaps;
  const { minHits, skipLayerTriplets, pixelOnlyMinHits } = config.late;
  const late = seedAndFollow(hits, overlaps, { ...config.seeds, minHits, pixelOnlyMinHits, skipLayerTriplets, freeTrackHits: 1, displacedMaxD0Mm: 0 }, config.extend);
  return config.overlaps.enabled ? attachOverlapHits(hits, late, config.overlaps) : late;
}
