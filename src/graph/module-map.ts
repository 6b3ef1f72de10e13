// Module-map edge builder (the modern approach): the set of module pairs that true consecutive segments of
// simulated training events join, each with the range of segment quantities seen; an event's edges are the hit
// pairs on a listed module pair whose quantities fall in the (slightly widened) ranges. Learning and applying
// work on typed arrays; the file form is in arrow-io.ts.
import { wrapPhi } from '../geometry/helix-math.ts';
import { EdgeBuffer, type EdgeList, type NodeCoords } from './geometric.ts';
import type { NodeTruth } from './graph.ts';
import { trueSegments } from './truth.ts';

/** What the builder needs from the detector: DetectorIndex has this shape. */
export interface ModuleLookup {
  moduleCount: number;
  moduleIndexOf(volumeId: number, layerId: number, moduleId: number): number;
  readonly volumeId: Uint8Array;
  readonly layerId: Uint8Array;
  readonly moduleId: Uint16Array;
}

/** Segment quantities with learned ranges, in this order per entry. */
export const MM_DPHI = 0; // φb − φa, rad
export const MM_Z0 = 1; // z at r = 0 of the segment line, mm
export const MM_PHISLOPE = 2; // Δφ/Δr, rad/mm
export const MM_DETA = 3; // ηb − ηa
export const MM_FEATURES = 4;
export const MM_FEATURE_NAMES = ['dphi', 'z0', 'phiSlope', 'deta'] as const;
/** Least widening per quantity, so a pair seen once or twice still accepts its neighbours. */
export const MM_MIN_MARGIN: readonly number[] = [0.002, 10, 0.0002, 0.01];

/** Module pairs as CSR over the source module row. */
export interface ModuleMap {
  moduleCount: number;
  /** Entries of source module m: entryStart[m] ≤ e < entryStart[m + 1]. */
  entryStart: Uint32Array;
  dstModule: Uint32Array;
  /** How many training segments the entry saw. */
  count: Uint32Array;
  /** Per entry MM_FEATURES minima and maxima. */
  lo: Float32Array;
  hi: Float32Array;
}

const Z0_CLAMP_MM = 1e6;
const SLOPE_CLAMP = 1e3;

/** Writes the segment quantities of a → b into out[0..MM_FEATURES). */
export function segmentQuantities(ra: number, phia: number, za: number, rb: number, phib: number, zb: number, out: Float64Array): void {
  const dr = rb - ra;
  const dphi = wrapPhi(phib - phia);
  out[MM_DPHI] = dphi;
  let z0 = dr === 0 ? Z0_CLAMP_MM : za - (ra * (zb - za)) / dr;
  let slope = dr === 0 ? SLOPE_CLAMP : dphi / dr;
  z0 = Math.max(-Z0_CLAMP_MM, Math.min(Z0_CLAMP_MM, z0));
  slope = Math.max(-SLOPE_CLAMP, Math.min(SLOPE_CLAMP, slope));
  out[MM_Z0] = z0;
  out[MM_PHISLOPE] = slope;
  out[MM_DETA] = Math.asinh(zb / rb) - Math.asinh(za / ra);
}

/** Accumulates true segments of training events into a module map. */
export class ModuleMapLearner {
  private readonly index = new Map<number, number>();
  private srcMod: number[] = [];
  private dstMod: number[] = [];
  private counts: number[] = [];
  private lo: number[] = [];
  private hi: number[] = [];
  segmentsSeen = 0;
  eventsSeen = 0;

  constructor(readonly moduleCount: number) {}

  /** Adds the true segments among `nodes` (with their module rows) of particles with pT ≥ minPtGeV produced
   * within maxVertexRMm of the beam axis. Ranges are min/max, so one secondary from a vertex far off the beamline
   * would open a pair's z0 range to anything: leaving those out keeps the map tight. */
  add(nodes: NodeCoords, moduleRow: Int32Array, truth: NodeTruth, minPtGeV: number, maxVertexRMm = Infinity): void {
    const seg = trueSegments(truth);
    const q = new Float64Array(MM_FEATURES);
    for (let s = 0; s < seg.src.length; s++) {
      const a = seg.src[s];
      const b = seg.dst[s];
      if (truth.ptGeV[a] < minPtGeV || truth.vertexRMm[a] >= maxVertexRMm) continue;
      const ma = moduleRow[a];
      const mb = moduleRow[b];
      if (ma < 0 || mb < 0) continue;
      segmentQuantities(nodes.rMm[a], nodes.phiRad[a], nodes.zMm[a], nodes.rMm[b], nodes.phiRad[b], nodes.zMm[b], q);
      const key = ma * this.moduleCount + mb;
      let e = this.index.get(key);
      if (e === undefined) {
        e = this.counts.length;
        this.index.set(key, e);
        this.srcMod.push(ma);
        this.dstMod.push(mb);
        this.counts.push(0);
        for (let f = 0; f < MM_FEATURES; f++) {
          this.lo.push(q[f]);
          this.hi.push(q[f]);
        }
      }
      this.counts[e]++;
      for (let f = 0; f < MM_FEATURES; f++) {
        const o = e * MM_FEATURES + f;
        if (q[f] < this.lo[o]) this.lo[o] = q[f];
        if (q[f] > this.hi[o]) this.hi[o] = q[f];
      }
      this.segmentsSeen++;
    }
    this.eventsSeen++;
  }

  finish(): ModuleMap {
    const order = this.counts.map((_, i) => i).sort((p, q) => this.srcMod[p] - this.srcMod[q] || this.dstMod[p] - this.dstMod[q]);
    return moduleMapFromEntries(
      this.moduleCount,
      order.map((e) => ({
        src: this.srcMod[e],
        dst: this.dstMod[e],
        count: this.counts[e],
        lo: this.lo.slice(e * MM_FEATURES, (e + 1) * MM_FEATURES),
        hi: this.hi.slice(e * MM_FEATURES, (e + 1) * MM_FEATURES),
      })),
    );
  }
}

/** Builds the CSR map from entries sorted by (src, dst). */
export function moduleMapFromEntries(
  moduleCount: number,
  entries: readonly { src: number; dst: number; count: number; lo: ArrayLike<number>; hi: ArrayLike<number> }[],
): ModuleMap {
  const m = entries.length;
  const entryStart = new Uint32Array(moduleCount + 1);
  const dstModule = new Uint32Array(m);
  const count = new Uint32Array(m);
  const lo = new Float32Array(m * MM_FEATURES);
  const hi = new Float32Array(m * MM_FEATURES);
  entries.forEach((en, e) => {
    if (e > 0 && (entries[e - 1].src > en.src || (entries[e - 1].src === en.src && entries[e - 1].dst >= en.dst)))
      throw new Error('moduleMapFromEntries: entries must be sorted by (src, dst) without repeats');
    entryStart[en.src + 1]++;
    dstModule[e] = en.dst;
    count[e] = en.count;
    for (let f = 0; f < MM_FEATURES; f++) {
      lo[e * MM_FEATURES + f] = en.lo[f];
      hi[e * MM_FEATURES + f] = en.hi[f];
    }
  });
  for (let i = 0; i < moduleCount; i++) entryStart[i + 1] += entryStart[i];
  return { moduleCount, entryStart, dstModule, count, lo, hi };
}

/** Edges of one event: every hit pair on a mapped module pair whose quantities lie in the widened ranges. */
export function applyModuleMap(nodes: NodeCoords, moduleRow: Int32Array, map: ModuleMap, marginFraction: number): EdgeList {
  const n = moduleRow.length;
  const M = map.moduleCount;
  // Nodes grouped by module row (counting sort).
  const start = new Int32Array(M + 1);
  for (let i = 0; i < n; i++) if (moduleRow[i] >= 0) start[moduleRow[i] + 1]++;
  for (let m = 0; m < M; m++) start[m + 1] += start[m];
  const fill = start.slice(0, M);
  const byModule = new Uint32Array(start[M]);
  for (let i = 0; i < n; i++) if (moduleRow[i] >= 0) byModule[fill[moduleRow[i]]++] = i;

  // Widened ranges, once per map entry.
  const nEntries = map.dstModule.length;
  const lo = new Float64Array(nEntries * MM_FEATURES);
  const hi = new Float64Array(nEntries * MM_FEATURES);
  for (let e = 0; e < nEntries; e++)
    for (let f = 0; f < MM_FEATURES; f++) {
      const o = e * MM_FEATURES + f;
      const w = Math.max(marginFraction * (map.hi[o] - map.lo[o]), MM_MIN_MARGIN[f]);
      lo[o] = map.lo[o] - w;
      hi[o] = map.hi[o] + w;
    }

  // η once per node; per pair the cheap cuts first (Δφ, Δη), then z0 and the phi slope.
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) eta[i] = Math.asinh(nodes.zMm[i] / nodes.rMm[i]);
  const out = new EdgeBuffer(Math.max(1024, n * 4));
  for (let ma = 0; ma < M; ma++) {
    if (start[ma] === start[ma + 1]) continue;
    for (let e = map.entryStart[ma]; e < map.entryStart[ma + 1]; e++) {
      const mb = map.dstModule[e];
      if (start[mb] === start[mb + 1]) continue;
      const o = e * MM_FEATURES;
      const dphiLo = lo[o + MM_DPHI],
        dphiHi = hi[o + MM_DPHI];
      const z0Lo = lo[o + MM_Z0],
        z0Hi = hi[o + MM_Z0];
      const slopeLo = lo[o + MM_PHISLOPE],
        slopeHi = hi[o + MM_PHISLOPE];
      const detaLo = lo[o + MM_DETA],
        detaHi = hi[o + MM_DETA];
      for (let ka = start[ma]; ka < start[ma + 1]; ka++) {
        const a = byModule[ka];
        const ra = nodes.rMm[a];
        const phia = nodes.phiRad[a];
        const za = nodes.zMm[a];
        const etaa = eta[a];
        for (let kb = start[mb]; kb < start[mb + 1]; kb++) {
          const b = byModule[kb];
          const dphi = wrapPhi(nodes.phiRad[b] - phia);
          if (dphi < dphiLo || dphi > dphiHi) continue;
          const deta = eta[b] - etaa;
          if (deta < detaLo || deta > detaHi) continue;
          // Same clamped formulas as segmentQuantities, so learning and applying agree exactly.
          const dr = nodes.rMm[b] - ra;
          let z0 = dr === 0 ? Z0_CLAMP_MM : za - (ra * (nodes.zMm[b] - za)) / dr;
          let slope = dr === 0 ? SLOPE_CLAMP : dphi / dr;
          z0 = z0 < -Z0_CLAMP_MM ? -Z0_CLAMP_MM : z0 > Z0_CLAMP_MM ? Z0_CLAMP_MM : z0;
          slope = slope < -SLOPE_CLAMP ? -SLOPE_CLAMP : slope > SLOPE_CLAMP ? SLOPE_CLAMP : slope;
          if (z0 < z0Lo || z0 > z0Hi || slope < slopeLo || slope > slopeHi) continue;
          out.push(a, b);
        }
      }
    }
  }
  return out.finish();
}
