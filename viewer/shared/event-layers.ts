// The display's layers (app/event-data.ts) computed from an event's parsed inputs: truth per hit row, the graph in
// descending score order, the tracks of a submission per hit row, the detector outline. Pure: the viewer server
// fills them from files on disk and packs them for the page; the web page's worker fills them from dropped files
// and the pipeline it runs — one code path for both.
import { groupIds64 } from '../../scoring/dense-ids.ts';
import { InputError } from '../../src/core/errors.ts';
import { hitRowLookup } from '../../src/trackml/hit-lookup.ts';
import type { Detectors, Hits, Particles, Submission, Truth } from '../../src/trackml/types.ts';
import type { DetectorData, GraphData, TrackSetData, TruthData } from '../app/event-data.ts';

/** Truth per hit row: particle id (exact), dense particle index (−1 noise), weight, and the particle's pT, η,
 * charge and hit count (from particles.csv when present, else from the truth momentum at the hit); `particles`:
 * the number of distinct particle ids. `truthFile` labels errors. */
export function truthLayer(hits: Hits, t: Truth, p: Particles | undefined, truthFile: string): TruthData & { particles: number } {
  const n = hits.hitId.length;
  const rowOf = hitRowLookup(hits.hitId);
  const particleId = new BigUint64Array(n);
  const weight = new Float64Array(n);
  const ptGeV = new Float32Array(n);
  const eta = new Float32Array(n);
  const charge = new Int8Array(n);
  for (let r = 0; r < t.hitId.length; r++) {
    const i = rowOf(t.hitId[r]);
    if (i < 0) throw new InputError(truthFile, r + 2, `hit_id ${t.hitId[r]} is not in the hits file`);
    particleId[i] = t.particleId[r];
    weight[i] = t.weight[r];
    const pt = Math.hypot(t.tpx[r], t.tpy[r]);
    ptGeV[i] = pt;
    eta[i] = pt > 0 ? Math.asinh(t.tpz[r] / pt) : 0;
  }
  const groups = groupIds64(particleId);
  const particle = new Int32Array(n);
  const nhits = new Uint16Array(n);
  const count = new Uint32Array(groups.groups);
  for (let i = 0; i < n; i++) count[groups.groupOfRow[i]]++;
  for (let i = 0; i < n; i++) {
    particle[i] = particleId[i] === 0n ? -1 : groups.groupOfRow[i];
    nhits[i] = Math.min(65535, count[groups.groupOfRow[i]]);
  }
  if (p !== undefined) {
    // Production momentum is what "a particle's pT" means in TrackML; the truth momentum is at the hit.
    const byGroup = new Int32Array(groups.groups).fill(-1);
    const lookup = new Map<bigint, number>();
    for (let k = 0; k < p.particleId.length; k++) lookup.set(p.particleId[k], k);
    for (let g = 0; g < groups.groups; g++) {
      const k = lookup.get(particleId[groups.firstRow[g]]);
      if (k !== undefined) byGroup[g] = k;
    }
    for (let i = 0; i < n; i++) {
      const k = byGroup[groups.groupOfRow[i]];
      if (k < 0 || particleId[i] === 0n) continue;
      const pt = Math.hypot(p.px[k], p.py[k]);
      ptGeV[i] = pt;
      eta[i] = pt > 0 ? Math.asinh(p.pz[k] / pt) : 0;
      charge[i] = p.q[k];
    }
  }
  return { particleId, particle, weight, ptGeV, eta, charge, nhits, particles: groups.groups };
}

/** Descending order of non-negative scores: LSD radix sort on the float bits (monotone for x ≥ 0), stable. */
export function orderByScoreDesc(score: Float32Array): Uint32Array {
  const m = score.length;
  const key = new Uint32Array(m);
  const bits = new Uint32Array(score.buffer, score.byteOffset, m);
  for (let e = 0; e < m; e++) key[e] = score[e] > 0 ? ~bits[e] >>> 0 : 0xffffffff; // NaN, 0, negatives last
  let order = new Uint32Array(m);
  for (let e = 0; e < m; e++) order[e] = e;
  let tmp = new Uint32Array(m);
  const counts = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let e = 0; e < m; e++) counts[(key[order[e]] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let e = 0; e < m; e++) {
      const o = order[e];
      tmp[counts[(key[o] >>> shift) & 0xffff]++] = o;
    }
    [order, tmp] = [tmp, order];
  }
  return order;
}

function permute<T extends Uint32Array | Float32Array | Uint8Array>(a: T, order: Uint32Array): T {
  const out = new (a.constructor as { new (n: number): T })(order.length);
  for (let k = 0; k < order.length; k++) out[k] = a[order[k]];
  return out;
}

/** Graph edges (node rows), node → hit row, truth label y and GNN score, edges sorted by descending score so that
 * "score ≥ threshold" is a prefix; `edgeRow` keeps each edge's row in the graph. `nodesFile` labels errors. */
export function graphLayer(
  hits: Hits,
  g: { hitId: Uint32Array; src: Uint32Array; dst: Uint32Array; y?: Uint8Array },
  score: Float32Array | undefined,
  threshold: number | undefined,
  nodesFile: string,
): GraphData {
  const rowOf = hitRowLookup(hits.hitId);
  const nodeHit = new Int32Array(g.hitId.length);
  for (let k = 0; k < nodeHit.length; k++) {
    nodeHit[k] = rowOf(g.hitId[k]);
    if (nodeHit[k] < 0) throw new InputError(nodesFile, undefined, `node ${k}: hit_id ${g.hitId[k]} is not in the hits file`);
  }
  const m = g.src.length;
  const order = score ? orderByScoreDesc(score) : Uint32Array.from({ length: m }, (_, k) => k);
  return {
    nodeHit,
    src: permute(g.src, order),
    dst: permute(g.dst, order),
    edgeRow: order,
    score: score ? permute(score, order) : undefined,
    y: g.y ? permute(g.y, order) : undefined,
    threshold,
  };
}

/** A submission's tracks per hit row: dense track index (−1 = hit not in the submission) and the track ids.
 * `source` names the submission (and labels errors). */
export function tracksLayer(hits: Hits, s: Submission, source: string): TrackSetData {
  const rowOf = hitRowLookup(hits.hitId);
  const groups = groupIds64(s.trackId);
  const hitTrack = new Int32Array(hits.hitId.length).fill(-1);
  for (let r = 0; r < s.hitId.length; r++) {
    const i = rowOf(s.hitId[r]);
    if (i < 0) throw new InputError(source, r + 2, `hit_id ${s.hitId[r]} is not in the hits file`);
    hitTrack[i] = groups.groupOfRow[r];
  }
  const trackId = new BigInt64Array(groups.groups);
  for (let t = 0; t < groups.groups; t++) trackId[t] = s.trackId[groups.firstRow[t]];
  return { hitTrack, trackId, source };
}

/** Detector modules for the outline: centre (mm), rotation (9, row-major local→global), half sizes (mm). */
export function detectorLayer(d: Detectors): DetectorData & { layerId: Uint8Array } {
  return {
    modules: d.volumeId.length,
    volumeId: d.volumeId,
    layerId: d.layerId,
    cx: Float32Array.from(d.cx),
    cy: Float32Array.from(d.cy),
    cz: Float32Array.from(d.cz),
    rot: Float32Array.from(d.rot),
    halfU: Float32Array.from(d.maxHalfUMm),
    halfV: Float32Array.from(d.halfVMm),
    thickness: Float32Array.from(d.thicknessMm),
  };
}
