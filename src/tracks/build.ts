// Scored graph → tracks: every event hit gets exactly one track id. Two builders: connected components of the
// edges above threshold (baseline), and a branch resolver that keeps at most one edge in and one edge out per hit,
// taking edges best score first, then hangs leftover hits (module overlaps) on their best-scored neighbour's track.
import { z } from 'zod';
import { hitRowLookup } from '../trackml/hit-lookup.ts';
import type { Hits } from '../trackml/types.ts';
import { extendConfigSchema, seedConfigSchema } from './config.ts';
import { extendTracks, fillInwards } from './extend.ts';
import { buildHitIndex } from './hit-index.ts';
import { largeRadiusConfigSchema, largeRadiusTracks } from './large-radius.ts';
import { attachOverlaps, overlapConfigSchema } from './overlaps.ts';
import { seedTracks } from './seeds.ts';
import { toBigInt64 } from './track-ids.ts';
import { bestFirstPaths, splitShort, type ScoredGraph } from './best-first.ts';
import { connectedComponents, UnionFind } from './union-find.ts';
import { ccWalk, walkConfigSchema } from './walk.ts';
import { nodePositionsMm } from './node-positions.ts';

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
  /** buildEventTracks, last: large-radius tracking on the hits still single (src/tracks/large-radius.ts), then the
   * overlap step again. */
  largeRadius: largeRadiusConfigSchema.prefault({}),
});
export type TracksConfig = z.output<typeof tracksConfigSchema>;
export type TracksConfigInput = z.input<typeof tracksConfigSchema>;

export function tracksConfig(input: TracksConfigInput = {}): TracksConfig {
  return tracksConfigSchema.parse(input);
}

/** Per-step times of buildEventTracks: ms by step name, measured with `clock` (ms). */
export interface StepTimes {
  ms: Record<string, number>;
  clock: () => number;
}

export type { ScoredGraph };

/** One track label per graph node (dense, 0..count−1). `nodeXyz`: x, y, z (mm) of every node, from the event's hits;
 * omitted, they are rebuilt from the graph's scaled node features (a graph without its event). */
export function trackNodes(
  graph: ScoredGraph,
  scores: Float32Array,
  config: TracksConfig,
  nodeXyz?: Float64Array,
): { label: Int32Array; count: number } {
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
    result = resolveComponents(graph, scores, threshold, config, nodeXyz);
  }
  if (config.stitchThreshold < threshold) result = stitchFragments(graph, scores, result, threshold, config.stitchThreshold);
  return config.minHits > 1 ? splitShort(result, config.minHits) : result;
}

/** Joins track fragments end to end over edges scoring in [low, threshold): best edge first; an edge qualifies when
 * its inner hit has no edge ≥ threshold leaving it inside its own track and its outer hit none entering inside its
 * own, and the two tracks have no layer in common (a particle crosses each layer once, overlaps aside). */
export function stitchFragments(
  graph: ScoredGraph,
  scores: Float32Array,
  tracks: { label: Int32Array; count: number },
  threshold: number,
  low: number,
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
  cand.sort((p, q) => (scores[q] < scores[p] ? -1 : scores[q] > scores[p] ? 1 : 0));
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
    for (const l of small)
      if (big.has(l)) {
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
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = trackLabel.label[tracks.label[i]];
  return { label, count: trackLabel.count };
}

/** Components of the edges ≥ threshold; a component with too many hits for its layers (two particles joined by
 * a wrong edge) is split by re-running components on its own edges at each ladder threshold in turn, keeping
 * the parts that now look like one particle; what is still merged after the last rung becomes best-first paths. */
export function resolveComponents(
  graph: ScoredGraph,
  scores: Float32Array,
  threshold: number,
  config: TracksConfig,
  nodeXyz?: Float64Array,
): { label: Int32Array; count: number } {
  const nNodes = graph.hitId.length;
  const { src, dst } = graph;
  const rungs = [threshold, ...config.ladder.filter((t) => t > threshold)];
  const ladder = new Ladder(graph, nodeXyz ?? nodePositionsMm(graph), config.sameLayerMaxMm ** 2);
  // Candidate edges, narrowed rung by rung (higher threshold, both ends still open): later rungs touch only
  // the few edges of merged components.
  let cand = new Uint32Array(src.length);
  let nCand = 0;
  for (let e = 0; e < src.length; e++) if (scores[e] >= threshold) cand[nCand++] = e;
  cand = cand.subarray(0, nCand);
  const { open, uf } = ladder;
  for (let r = 0; r < rungs.length && ladder.nOpen > 0; r++) {
    const t = rungs[r];
    let kept = 0;
    for (let k = 0; k < cand.length; k++) {
      const e = cand[k];
      if (scores[e] >= t && open[src[e]] && open[dst[e]]) cand[kept++] = e;
    }
    cand = cand.subarray(0, kept);
    ladder.settleClean(cand);
  }
  // Still merged after the top rung: best-first paths over the open nodes' edges at the base threshold, with
  // overlap hits attached to their best path neighbour.
  if (ladder.nOpen > 0) {
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

/** resolveComponents' state: settled tracks (`uf`), the nodes still in a merged component (`open`, openNodes[0..nOpen)),
 * and scratch arrays for grouping the open nodes by component. */
class Ladder {
  readonly uf: UnionFind;
  readonly open: Uint8Array;
  readonly openNodes: Int32Array;
  nOpen: number;
  private readonly part: UnionFind;
  private readonly root: Int32Array;
  private readonly count: Int32Array;
  private readonly begin: Int32Array;
  private readonly fill: Int32Array;
  private readonly members: Int32Array;
  private readonly roots: Int32Array;
  /** First node seen on each layer of the component being judged (−1: none yet). */
  private readonly seenLayer = new Int32Array(256).fill(-1);

  constructor(
    private readonly graph: ScoredGraph,
    private readonly xyz: Float64Array,
    private readonly maxD2: number,
  ) {
    const n = graph.hitId.length;
    this.uf = new UnionFind(n);
    this.open = new Uint8Array(n).fill(1);
    this.openNodes = new Int32Array(n);
    for (let i = 0; i < n; i++) this.openNodes[i] = i;
    this.nOpen = n;
    this.part = new UnionFind(n);
    this.root = new Int32Array(n);
    this.count = new Int32Array(n);
    this.begin = new Int32Array(n);
    this.fill = new Int32Array(n);
    this.members = new Int32Array(n);
    this.roots = new Int32Array(n);
  }

  /** Components of the open nodes over the edges `cand`; each that looks like one particle (on every layer, its hits
   * within sameLayerMaxMm of the first one seen there) is settled as one track and its nodes closed. */
  settleClean(cand: Uint32Array): void {
    const { part, root, count, begin, fill, members, roots, openNodes, open } = this;
    const { src, dst } = this.graph;
    const nOpen = this.nOpen;
    // Reset only the open nodes.
    for (let k = 0; k < nOpen; k++) {
      const i = openNodes[k];
      part.parent[i] = i;
      part.size[i] = 1;
    }
    for (let k = 0; k < cand.length; k++) part.union(src[cand[k]], dst[cand[k]]);
    // Group open nodes by component root: counting sort over the open nodes only.
    let nRoots = 0;
    for (let k = 0; k < nOpen; k++) {
      const i = openNodes[k];
      const c = (root[i] = part.find(i));
      if (count[c] === 0) roots[nRoots++] = c;
      count[c]++;
    }
    let total = 0;
    for (let q = 0; q < nRoots; q++) {
      const c = roots[q];
      begin[c] = fill[c] = total;
      total += count[c];
      count[c] = 0; // reset for the next rung
    }
    for (let k = 0; k < nOpen; k++) members[fill[root[openNodes[k]]]++] = openNodes[k];
    for (let q = 0; q < nRoots; q++) {
      const a = begin[roots[q]];
      const b = fill[roots[q]];
      // A lone hit cut off by a higher rung settles too, as a single-hit track: leaving it open for the path
      // step below was measured to add more fake tracks (0.013 → 0.04 at pT > 1) than it found particles.
      if (!this.clean(a, b)) continue;
      // One particle's worth: settle it as one track.
      for (let k = a; k < b; k++) {
        this.uf.union(members[a], members[k]);
        open[members[k]] = 0;
      }
    }
    let kept = 0;
    for (let k = 0; k < nOpen; k++) if (open[openNodes[k]] === 1) openNodes[kept++] = openNodes[k];
    this.nOpen = kept;
  }

  /** Whether the component members[a..b) has, on every layer, its hits within sameLayerMaxMm of the first one. */
  private clean(a: number, b: number): boolean {
    const { members, seenLayer, xyz } = this;
    const { layer } = this.graph;
    let clean = true;
    for (let k = a; k < b && clean; k++) {
      const i = members[k];
      const l = layer[i];
      const j = seenLayer[l];
      if (j < 0) seenLayer[l] = i;
      else {
        const dx = xyz[3 * j] - xyz[3 * i];
        const dy = xyz[3 * j + 1] - xyz[3 * i + 1];
        const dz = xyz[3 * j + 2] - xyz[3 * i + 2];
        clean = dx * dx + dy * dy + dz * dz <= this.maxD2;
      }
    }
    for (let k = a; k < b; k++) seenLayer[layer[members[k]]] = -1;
    return clean;
  }
}

/** Track ids (≥ 1) of every event hit row as int32 (src/tracks/track-ids.ts): graph nodes take their track's id;
 * event hits not in the graph (strip hits of a pixel-only graph, hits no edge reached) get an id of their own, so
 * every hit is in exactly one track. Node positions for the resolver come from the hits when given. */
export function graphTrackIds(eventHits: Uint32Array | Hits, graph: ScoredGraph, scores: Float32Array, config: TracksConfig): Int32Array {
  const hits = eventHits instanceof Uint32Array ? undefined : eventHits;
  const eventHitIds = hits ? hits.hitId : (eventHits as Uint32Array);
  const rowOf = hitRowLookup(eventHitIds);
  const nNodes = graph.hitId.length;
  const rowOfNode = new Int32Array(nNodes);
  for (let k = 0; k < nNodes; k++) {
    const r = rowOf(graph.hitId[k]);
    if (r < 0) throw new Error(`buildTracks: graph hit id ${graph.hitId[k]} is not in the event`);
    rowOfNode[k] = r;
  }
  let xyz: Float64Array | undefined;
  if (hits) {
    xyz = new Float64Array(3 * nNodes);
    for (let k = 0; k < nNodes; k++) {
      const r = rowOfNode[k];
      xyz[3 * k] = hits.x[r];
      xyz[3 * k + 1] = hits.y[r];
      xyz[3 * k + 2] = hits.z[r];
    }
  }
  const { label, count } = trackNodes(graph, scores, config, xyz);
  const ids = new Int32Array(eventHitIds.length).fill(-1);
  for (let k = 0; k < nNodes; k++) ids[rowOfNode[k]] = label[k] + 1;
  let next = count + 1;
  for (let r = 0; r < ids.length; r++) if (ids[r] < 0) ids[r] = next++;
  return ids;
}

/** buildTracks(event hits or their ids, graph, scores, config) → one track id (≥ 1) per event hit row (graphTrackIds). */
export function buildTracks(eventHits: Uint32Array | Hits, graph: ScoredGraph, scores: Float32Array, config: TracksConfig): BigInt64Array {
  return toBigInt64(graphTrackIds(eventHits, graph, scores, config));
}

/** buildEventTracks(hits, graph, scores, config): buildTracks, then (each when enabled) tracks of ≥ 3 hits take
 * the strip hits their helix passes through — the graph may hold pixel hits only —, seeded tracks from free hits,
 * free pixel hits inside each track's innermost hit and in its pixel holes, the second hits of module overlaps, and
 * a late seed round on the hits still single (then overlaps again). Every step searches one index of the event's hits
 * (src/tracks/hit-index.ts). `steps`, when given, receives each step's time in ms by its clock (bench/tracks.bench.ts). */
export function buildEventTracks(
  hits: Hits,
  graph: ScoredGraph,
  scores: Float32Array,
  config: TracksConfig,
  steps?: StepTimes,
): BigInt64Array {
  let t0 = steps?.clock() ?? 0;
  const lap = (step: string): void => {
    if (!steps) return;
    const t = steps.clock();
    steps.ms[step] = (steps.ms[step] ?? 0) + t - t0;
    t0 = t;
  };
  const idx = buildHitIndex(hits);
  lap('index');
  let ids = graphTrackIds(hits, graph, scores, config);
  lap('graph');
  if (config.extend.enabled) ids = extendTracks(idx, ids, config.extend);
  lap('strips');
  if (config.seeds.enabled) ids = seedTracks(idx, ids, config.seeds, config.extend, steps);
  lap('seeds');
  if (config.extend.enabled && config.extend.inwards)
    ids = fillInwards(idx, ids, config.extend.minHits, { acrossMm: config.extend.inwardsAcrossMm, alongMm: config.extend.inwardsAlongMm });
  lap('inwards');
  if (config.overlaps.enabled) ids = attachOverlaps(idx, ids, config.overlaps);
  lap('overlaps');
  if (config.seeds.enabled && config.late.enabled) {
    const { minHits, skipLayerTriplets, pixelOnlyMinHits } = config.late;
    ids = seedTracks(
      idx,
      ids,
      { ...config.seeds, minHits, pixelOnlyMinHits, skipLayerTriplets, freeTrackHits: 1, displacedMaxD0Mm: 0 },
      config.extend,
      steps,
    );
    lap('late');
    if (config.overlaps.enabled) ids = attachOverlaps(idx, ids, config.overlaps);
    lap('overlaps');
  }
  if (config.largeRadius.enabled) {
    ids = largeRadiusTracks(idx, ids, config.largeRadius, config.seeds, config.extend, steps);
    lap('large-radius');
    if (config.overlaps.enabled) ids = attachOverlaps(idx, ids, config.overlaps);
    lap('overlaps');
  }
  return toBigInt64(ids);
}
