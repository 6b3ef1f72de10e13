// Tracks in the page: union-find over the edges that pass the score threshold (the tracks stage's UnionFind),
// per-hit track labels, the polyline segments that draw them, and the live TrackML score with each hit's match
// status. Pure functions over typed arrays, so Node tests run them exactly as the page does.
import { groupIds64, rankGroupsUnsigned } from '../../scoring/dense-ids.ts';
import { UnionFind } from '../../src/tracks/union-find.ts';
// Same compensated sum as the scorer, so the live score equals scoreEvent's to the last bit.
import { CompensatedSum, majorityParticle } from '../../scoring/score.ts';

/** How many edges score at or above `threshold` (an edge scoring exactly the threshold is kept, as in the tracks
 * stage and the GNN metrics — sigmoid(0) is exactly the default 0.5), when `score[order[k]]` (order: identity when
 * absent) descends with k: a binary search. */
export function countAtOrAbove(
  score: Float32Array,
  threshold: number,
  order?: ArrayLike<number>,
  length = order?.length ?? score.length,
): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (score[order ? order[mid] : mid] >= threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Dense track label per graph node (0..count−1) after joining the first `count` edges (src[k], dst[k] are node
 * rows; edges arrive sorted by descending score, so these are the edges at or above the threshold). Uses the
 * tracks stage's own UnionFind, so the page builds the same components as the pipeline's 'components' method. */
export function componentLabels(nNodes: number, src: Uint32Array, dst: Uint32Array, count: number): Int32Array {
  const uf = new UnionFind(nNodes);
  for (let k = 0; k < count; k++) uf.union(src[k], dst[k]);
  return uf.labels().label;
}

/** Track label per hit row: the label of the hit's graph component; hits outside the graph get a label of their
 * own, nNodes + hit row. Labels are non-negative and < nNodes + nHits. */
export function hitLabels(nHits: number, nodeHit: Int32Array, nodeLabel: Int32Array, out: Int32Array): Int32Array {
  const nNodes = nodeHit.length;
  for (let i = 0; i < nHits; i++) out[i] = nNodes + i;
  for (let k = 0; k < nNodes; k++) out[nodeHit[k]] = nodeLabel[k];
  return out;
}

/** Hit rows ordered by distance from the origin: along a track from the beam line this is the order of its hits. */
export function orderByRadius(x: Float32Array, y: Float32Array, z: Float32Array): Uint32Array {
  const n = x.length;
  const r2 = new Float64Array(n);
  for (let i = 0; i < n; i++) r2[i] = x[i] * x[i] + y[i] * y[i] + z[i] * z[i];
  return Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => r2[a] - r2[b]);
}

export interface TrackSegments {
  /** Pairs of hit rows: consecutive hits (in radius) of one track. */
  index: Uint32Array;
  /** Number of index entries used (2 per segment). */
  length: number;
  /** Tracks drawn (with at least minHits hits). */
  tracks: number;
  /** Hits per label (scratch, valid after the call). */
  size: Int32Array;
}

/** Polyline segments of every track with ≥ minHits hits: a walk over hits in radius order links each hit to the
 * previous hit of its label, so no per-track sort is needed. `labelLimit` bounds the labels. */
export function trackSegments(
  labels: Int32Array,
  byRadius: Uint32Array,
  minHits: number,
  labelLimit: number,
  scratch?: TrackSegments,
): TrackSegments {
  const n = labels.length;
  const size = scratch && scratch.size.length >= labelLimit ? scratch.size : new Int32Array(labelLimit);
  const index = scratch && scratch.index.length >= 2 * n ? scratch.index : new Uint32Array(2 * n);
  size.fill(0, 0, labelLimit);
  for (let i = 0; i < n; i++) size[labels[i]]++;
  let tracks = 0;
  for (let l = 0; l < labelLimit; l++) if (size[l] >= minHits) tracks++;
  // last[label] reuses a second pass over size: encode "last hit + 1" as a negative number.
  const last = new Int32Array(labelLimit);
  let length = 0;
  for (let k = 0; k < n; k++) {
    const h = byRadius[k];
    const l = labels[h];
    if (size[l] < minHits) continue;
    if (last[l] > 0) {
      index[length++] = last[l] - 1;
      index[length++] = h;
    }
    last[l] = h + 1;
  }
  return { index, length, tracks, size };
}

export const MATCH_GOOD = 0;
export const MATCH_DUPLICATE = 1;
export const MATCH_FAKE = 2;
export const MATCH_MISSED = 3;
export const MATCH_NOISE = 4;
export const MATCH_NAMES = ['good', 'duplicate', 'fake', 'missed', 'noise'] as const;

/** What the live scorer needs from truth, per hit row (the hits file's order). */
export interface HitTruth {
  hitId: Uint32Array;
  particleId: BigUint64Array;
  weight: Float64Array;
}

export interface LiveScore {
  /** The official TrackML score of the labels as a submission. */
  score: number;
  tracks: number;
  /** Per hit row: MATCH_GOOD … MATCH_NOISE. */
  status: Uint8Array;
  /** Good tracks (as the reference counts them), and tracks of ≥ 2 hits that are duplicates or fakes. */
  goodTracks: number;
  duplicateTracks: number;
  fakeTracks: number;
}

/** The official score (scoring/score.ts, same rules, same summation order, so the same float) of per-hit track
 * labels, for a slider: what does not depend on the tracks (particle ranks, hits per particle, total weight) is
 * computed once, so a call is a counting sort and one pass, with no hashing and no allocation. Also each hit's
 * match status: in a good track; in a pure (> 50 %) track that is not good (a duplicate / fragment of its
 * particle); in an impure track (fake); alone though it belongs to a particle (missed); alone and noise. */
export class LiveScorer {
  private readonly n: number;
  /** Dense particle rank per hit, ascending by unsigned id (noise, id 0, is rank 0 when present). */
  private readonly particle: Int32Array;
  /** Rank of the noise "particle" (id 0); −1 when the event has no noise hits. */
  private readonly noiseRank: number = -1;
  private readonly particleNhits: Uint32Array;
  private readonly weight: Float64Array;
  private readonly totalWeight: number;
  private readonly countInTrack: Uint32Array;
  private readonly weightInTrack: Float64Array;
  private readonly touched: Int32Array;
  /** Hit rows grouped by label (counting sort). */
  private readonly rows: Int32Array;
  /** Labels in order of first appearance. */
  private readonly order: Int32Array;
  private start = new Int32Array(0);
  private readonly status: Uint8Array;

  constructor(truth: HitTruth) {
    const n = truth.hitId.length;
    this.n = n;
    const groups = groupIds64(truth.particleId);
    const rank = rankGroupsUnsigned(truth.particleId, groups);
    this.particle = new Int32Array(n);
    this.particleNhits = new Uint32Array(groups.groups);
    const total = new CompensatedSum();
    for (let i = 0; i < n; i++) {
      const p = rank[groups.groupOfRow[i]];
      this.particle[i] = p;
      this.particleNhits[p]++;
      if (truth.particleId[i] === 0n) this.noiseRank = p;
      total.add(truth.weight[i]);
    }
    this.totalWeight = total.value();
    this.weight = truth.weight;
    this.countInTrack = new Uint32Array(groups.groups);
    this.weightInTrack = new Float64Array(groups.groups);
    this.touched = new Int32Array(groups.groups);
    this.rows = new Int32Array(n);
    this.order = new Int32Array(n);
    this.status = new Uint8Array(n);
  }

  /** Scores labels (one per hit row, 0 ≤ label < labelLimit). The status array is reused between calls. */
  score(labels: Int32Array, labelLimit: number): LiveScore {
    const n = this.n;
    if (labels.length !== n) throw new Error(`LiveScorer: ${labels.length} labels for ${n} hits`);
    if (this.start.length < labelLimit + 1) this.start = new Int32Array(labelLimit + 1);
    const start = this.start;
    start.fill(0, 0, labelLimit + 1);
    // Tracks in order of first appearance, hits of a track in row order: the reference's iteration order,
    // so the compensated sum adds the same numbers in the same order.
    let nTracks = 0;
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (start[l + 1]++ === 0) this.order[nTracks++] = l;
    }
    for (let l = 0; l < labelLimit; l++) start[l + 1] += start[l];
    const next = this.rows;
    for (let i = 0; i < n; i++) next[start[labels[i]]++] = i;
    // start[l] now holds the end of label l; its beginning is the end of l − 1 (restore below).
    for (let l = labelLimit; l > 0; l--) start[l] = start[l - 1];
    start[0] = 0;

    const { particle, particleNhits, weight, countInTrack, weightInTrack, touched, status } = this;
    const sum = new CompensatedSum();
    let goodTracks = 0,
      duplicateTracks = 0,
      fakeTracks = 0;
    for (let t = 0; t < nTracks; t++) {
      const l = this.order[t];
      const begin = start[l];
      const end = start[l + 1];
      let nTouched = 0;
      for (let k = begin; k < end; k++) {
        const p = particle[next[k]];
        if (countInTrack[p] === 0) touched[nTouched++] = p;
        countInTrack[p]++;
        weightInTrack[p] += weight[next[k]];
      }
      const major = majorityParticle(touched, nTouched, countInTrack);
      const majorCount = countInTrack[major];
      const nhits = end - begin;
      const majorWeight = weightInTrack[major] / this.totalWeight;
      for (let j = 0; j < nTouched; j++) {
        countInTrack[touched[j]] = 0;
        weightInTrack[touched[j]] = 0;
      }
      const good = majorCount / nhits > 0.5 && majorCount / particleNhits[major] > 0.5;
      if (good) sum.add(majorWeight);
      const majorIsNoise = major === this.noiseRank;
      let c: number;
      // A "good" noise track (noise is particle 0 to the reference) has weight 0: show it as noise.
      if (good) ((c = majorIsNoise ? MATCH_NOISE : MATCH_GOOD), goodTracks++);
      else if (nhits < 2) c = majorIsNoise ? MATCH_NOISE : MATCH_MISSED;
      else if (!majorIsNoise && 2 * majorCount > nhits) ((c = MATCH_DUPLICATE), duplicateTracks++);
      else ((c = MATCH_FAKE), fakeTracks++);
      for (let k = begin; k < end; k++) status[next[k]] = c;
    }
    return { score: sum.value(), tracks: nTracks, status, goodTracks, duplicateTracks, fakeTracks };
  }
}
