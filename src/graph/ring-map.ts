// Ring-map edge builder: a module map folded over φ. The modules of one layer at one radius and z form a ring
// around the beam axis (a barrel z-row with its stagger, an endcap ring with its z offset); the segment quantities
// of module-map.ts (Δφ, z0, φ slope, Δη) are all unchanged by a rotation about the beam axis, so learning them per
// ring pair instead of per module pair pools ~30 modules' statistics: on pixel pT > 1 segments a map from 30
// simulated events keeps what a module map needs 1,000 for, at the same purity (BENCHMARKS.md). An event's edges
// are the hit pairs on a learned ring pair whose quantities fall in the widened ranges; candidates come from each
// ring's hits sorted by φ, inside the pair's Δφ window.
import { EdgeBuffer, type EdgeList, type NodeCoords } from './geometric.ts';
import { wrapPhi } from '../geometry/helix-math.ts';
import type { NodeTruth } from './graph.ts';
import { MM_DETA, MM_DPHI, MM_FEATURES, MM_MIN_MARGIN, MM_PHISLOPE, MM_Z0, segmentQuantities } from './module-map.ts';
import { trueSegments } from './truth.ts';

/** What ring building needs from the detector: DetectorIndex has this shape. */
export interface RingSource {
  moduleCount: number;
  readonly volumeId: Uint8Array;
  readonly layerId: Uint8Array;
  /** 3 per module: centre x, y, z (mm). */
  readonly centre: Float64Array;
}

/** The detector's modules grouped into rings. */
export interface ModuleRings {
  /** Ring of each module row. */
  ringOfModule: Int32Array;
  count: number;
  /** Per ring: volume, layer, mean centre radius and z (mm): how a map file names a ring. */
  volumeId: Uint8Array;
  layerId: Uint8Array;
  rMm: Float32Array;
  zMm: Float32Array;
}

/** Modules of one (volume, layer) whose centres lie within this distance in r and in z share a ring (mm). Stagger
 * between neighbouring modules is ≥ 4 mm in the TrackML detector; rebuilt and real positions differ by µm. */
export const RING_TOLERANCE_MM = 2;

export function moduleRings(det: RingSource): ModuleRings {
  const ringOfModule = new Int32Array(det.moduleCount);
  const vol: number[] = [];
  const lay: number[] = [];
  const r: number[] = [];
  const z: number[] = [];
  const n: number[] = [];
  const byLayer = new Map<number, number[]>();
  for (let m = 0; m < det.moduleCount; m++) {
    const rm = Math.hypot(det.centre[3 * m], det.centre[3 * m + 1]);
    const zm = det.centre[3 * m + 2];
    const key = (det.volumeId[m] << 8) | det.layerId[m];
    let list = byLayer.get(key);
    if (!list) byLayer.set(key, (list = []));
    let ring = -1;
    for (const k of list) if (Math.abs(r[k] - rm) <= RING_TOLERANCE_MM && Math.abs(z[k] - zm) <= RING_TOLERANCE_MM) ring = k;
    if (ring < 0) {
      ring = vol.length;
      vol.push(det.volumeId[m]);
      lay.push(det.layerId[m]);
      r.push(0);
      z.push(0);
      n.push(0);
      list.push(ring);
    }
    // Running mean of the members' centres.
    n[ring]++;
    r[ring] += (rm - r[ring]) / n[ring];
    z[ring] += (zm - z[ring]) / n[ring];
    ringOfModule[m] = ring;
  }
  return {
    ringOfModule,
    count: vol.length,
    volumeId: Uint8Array.from(vol),
    layerId: Uint8Array.from(lay),
    rMm: Float32Array.from(r),
    zMm: Float32Array.from(z),
  };
}

/** The ring of (volume, layer, r, z) in `rings`, or −1 (a map file naming a ring this detector lacks). */
export function findRing(rings: ModuleRings, volumeId: number, layerId: number, rMm: number, zMm: number): number {
  let best = -1;
  let bestD = 2 * RING_TOLERANCE_MM;
  for (let k = 0; k < rings.count; k++) {
    if (rings.volumeId[k] !== volumeId || rings.layerId[k] !== layerId) continue;
    const d = Math.max(Math.abs(rings.rMm[k] - rMm), Math.abs(rings.zMm[k] - zMm));
    if (d <= bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/** Ring pairs with their learned ranges (per entry MM_FEATURES minima and maxima, in module-map.ts's order). */
export interface RingMap {
  ringCount: number;
  srcRing: Uint32Array;
  dstRing: Uint32Array;
  /** How many training segments the entry saw. */
  count: Uint32Array;
  lo: Float32Array;
  hi: Float32Array;
}

/** Accumulates true segments of training events into a ring map. Ranges are min/max, or with `trimFraction` > 0 the
 * quantiles trimFraction and 1 − trimFraction of each quantity: a ring pair sees thousands of segments, and min/max
 * ranges keep widening with every rare large scatter (pT > 1 map at margin 0: 432 k edges per event from 30 events,
 * 668 k from 100, for 0.979 → 0.989 efficiency), so every segment is kept to take quantiles at the end. */
export class RingMapLearner {
  private readonly index = new Map<number, number>();
  private srcRing: number[] = [];
  private dstRing: number[] = [];
  private counts: number[] = [];
  private lo: number[] = [];
  private hi: number[] = [];
  /** Per entry, its segments' quantities (MM_FEATURES each), when trimming. */
  private samples: Float32Array[] = [];
  private readonly q = new Float64Array(MM_FEATURES);
  segmentsSeen = 0;
  eventsSeen = 0;

  constructor(
    readonly ringCount: number,
    readonly trimFraction = 0,
  ) {
    if (!(trimFraction >= 0 && trimFraction < 0.5)) throw new Error(`RingMapLearner: trimFraction ${trimFraction} outside [0, 0.5)`);
  }

  /** Adds the true segments among `nodes` (with their rings) of particles with pT ≥ minPtGeV produced within
   * maxVertexRMm of the beam axis (a far-displaced secondary would open a pair's z0 range to anything). */
  add(nodes: NodeCoords, ringOfNode: Int32Array, truth: NodeTruth, minPtGeV: number, maxVertexRMm = Infinity): void {
    const seg = trueSegments(truth);
    const q = this.q;
    for (let s = 0; s < seg.src.length; s++) {
      const a = seg.src[s];
      const b = seg.dst[s];
      if (truth.ptGeV[a] < minPtGeV || truth.vertexRMm[a] >= maxVertexRMm) continue;
      const ra = ringOfNode[a];
      const rb = ringOfNode[b];
      if (ra < 0 || rb < 0) continue;
      segmentQuantities(nodes.rMm[a], nodes.phiRad[a], nodes.zMm[a], nodes.rMm[b], nodes.phiRad[b], nodes.zMm[b], q);
      const key = ra * this.ringCount + rb;
      let e = this.index.get(key);
      if (e === undefined) {
        e = this.counts.length;
        this.index.set(key, e);
        this.srcRing.push(ra);
        this.dstRing.push(rb);
        this.counts.push(0);
        for (let f = 0; f < MM_FEATURES; f++) {
          this.lo.push(q[f]);
          this.hi.push(q[f]);
        }
        if (this.trimFraction > 0) this.samples.push(new Float32Array(4 * MM_FEATURES));
      }
      if (this.trimFraction > 0) {
        let buf = this.samples[e];
        const at = this.counts[e] * MM_FEATURES;
        if (at + MM_FEATURES > buf.length) {
          const grown = new Float32Array(buf.length * 2);
          grown.set(buf);
          this.samples[e] = buf = grown;
        }
        for (let f = 0; f < MM_FEATURES; f++) buf[at + f] = q[f];
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

  /** The map so far (entries sorted by source ring, then destination ring); `trimFraction` ≤ the learner's (which
   * kept the samples) may differ from it, so one pass can try several. */
  finish(trimFraction = this.trimFraction): RingMap {
    if (trimFraction > 0 && this.trimFraction === 0)
      throw new Error('RingMapLearner.finish: trimming needs a learner made with a trimFraction');
    const order = this.counts.map((_, i) => i).sort((p, q) => this.srcRing[p] - this.srcRing[q] || this.dstRing[p] - this.dstRing[q]);
    const m = order.length;
    const map: RingMap = {
      ringCount: this.ringCount,
      srcRing: new Uint32Array(m),
      dstRing: new Uint32Array(m),
      count: new Uint32Array(m),
      lo: new Float32Array(m * MM_FEATURES),
      hi: new Float32Array(m * MM_FEATURES),
    };
    let column = new Float32Array(0);
    order.forEach((e, k) => {
      map.srcRing[k] = this.srcRing[e];
      map.dstRing[k] = this.dstRing[e];
      const n = (map.count[k] = this.counts[e]);
      const cut = Math.floor(trimFraction * n);
      for (let f = 0; f < MM_FEATURES; f++) {
        map.lo[k * MM_FEATURES + f] = this.lo[e * MM_FEATURES + f];
        map.hi[k * MM_FEATURES + f] = this.hi[e * MM_FEATURES + f];
      }
      if (cut === 0) return;
      if (column.length < n) column = new Float32Array(n);
      const col = column.subarray(0, n);
      const buf = this.samples[e];
      for (let f = 0; f < MM_FEATURES; f++) {
        for (let i = 0; i < n; i++) col[i] = buf[i * MM_FEATURES + f];
        col.sort();
        map.lo[k * MM_FEATURES + f] = col[cut];
        map.hi[k * MM_FEATURES + f] = col[n - 1 - cut];
      }
    });
    return map;
  }
}

const TWO_PI = 2 * Math.PI;
const Z0_CLAMP_MM = 1e6;
const SLOPE_CLAMP = 1e3;

/** Nodes grouped by ring, each ring's nodes sorted by φ (CSR: ring k holds order[start[k] … start[k + 1])), with
 * their φ, r, z and η copied into the same order so the candidate scans read contiguous memory. */
interface RingNodes {
  start: Int32Array;
  order: Uint32Array;
  phi: Float64Array;
  r: Float64Array;
  z: Float64Array;
  eta: Float64Array;
}

function nodesByRing(nodes: NodeCoords, ringOfNode: Int32Array, ringCount: number): RingNodes {
  const n = ringOfNode.length;
  const start = new Int32Array(ringCount + 1);
  for (let i = 0; i < n; i++) if (ringOfNode[i] >= 0) start[ringOfNode[i] + 1]++;
  for (let k = 0; k < ringCount; k++) start[k + 1] += start[k];
  const fill = start.slice(0, ringCount);
  const order = new Uint32Array(start[ringCount]);
  for (let i = 0; i < n; i++) if (ringOfNode[i] >= 0) order[fill[ringOfNode[i]]++] = i;
  const phiOf = nodes.phiRad;
  for (let k = 0; k < ringCount; k++) {
    const part = order.subarray(start[k], start[k + 1]);
    if (part.length > 1) part.sort((a, b) => phiOf[a] - phiOf[b]);
  }
  const m = order.length;
  const phi = new Float64Array(m);
  const r = new Float64Array(m);
  const z = new Float64Array(m);
  const eta = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const i = order[j];
    phi[j] = phiOf[i];
    r[j] = nodes.rMm[i];
    z[j] = nodes.zMm[i];
    eta[j] = Math.asinh(z[j] / r[j]);
  }
  return { start, order, phi, r, z, eta };
}

/** First position in phi[lo, hi) with phi ≥ v. */
function lowerBound(phi: Float64Array, lo: number, hi: number, v: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (phi[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Edges of one event: every hit pair on a learned ring pair whose quantities lie in the ranges, each widened by
 * marginFraction of its width (at least MM_MIN_MARGIN). */
export function applyRingMap(nodes: NodeCoords, ringOfNode: Int32Array, map: RingMap, marginFraction: number): EdgeList {
  const n = ringOfNode.length;
  const { start, order, phi, r, z, eta } = nodesByRing(nodes, ringOfNode, map.ringCount);
  const out = new EdgeBuffer(Math.max(1024, n * 10));
  const lo = new Float64Array(MM_FEATURES);
  const hi = new Float64Array(MM_FEATURES);
  for (let e = 0; e < map.srcRing.length; e++) {
    const ra = map.srcRing[e];
    const rb = map.dstRing[e];
    const a0 = start[ra],
      a1 = start[ra + 1];
    const b0 = start[rb],
      b1 = start[rb + 1];
    if (a0 === a1 || b0 === b1) continue;
    for (let f = 0; f < MM_FEATURES; f++) {
      const o = e * MM_FEATURES + f;
      const w = Math.max(marginFraction * (map.hi[o] - map.lo[o]), MM_MIN_MARGIN[f]);
      lo[f] = map.lo[o] - w;
      hi[f] = map.hi[o] + w;
    }
    const dphiLo = lo[MM_DPHI],
      dphiHi = hi[MM_DPHI];
    const z0Lo = lo[MM_Z0],
      z0Hi = hi[MM_Z0];
    const slopeLo = lo[MM_PHISLOPE],
      slopeHi = hi[MM_PHISLOPE];
    const detaLo = lo[MM_DETA],
      detaHi = hi[MM_DETA];
    const fullCircle = dphiHi - dphiLo >= TWO_PI;
    for (let ka = a0; ka < a1; ka++) {
      const phia = phi[ka];
      const ra_ = r[ka];
      const za = z[ka];
      const etaa = eta[ka];
      // The Δφ window [phia + lo, phia + hi] as up to two intervals of [−π, π].
      let p0 = fullCircle ? -Math.PI : phia + dphiLo;
      let p1 = fullCircle ? Math.PI : phia + dphiHi;
      let q0 = 1,
        q1 = 0; // a second, wrapped interval (empty unless the window crosses ±π)
      if (p0 < -Math.PI) {
        q0 = p0 + TWO_PI;
        q1 = Math.PI;
        p0 = -Math.PI;
      } else if (p1 > Math.PI) {
        q0 = -Math.PI;
        q1 = p1 - TWO_PI;
        p1 = Math.PI;
      }
      for (let pass = 0; pass < 2; pass++) {
        const w0 = pass === 0 ? p0 : q0;
        const w1 = pass === 0 ? p1 : q1;
        if (w0 > w1) continue;
        for (let kb = lowerBound(phi, b0, b1, w0); kb < b1 && phi[kb] <= w1; kb++) {
          const deta = eta[kb] - etaa;
          if (deta < detaLo || deta > detaHi) continue;
          // Same clamped formulas as segmentQuantities, so learning and applying agree exactly.
          const dphi = wrapPhi(phi[kb] - phia);
          const dr = r[kb] - ra_;
          let z0 = dr === 0 ? Z0_CLAMP_MM : za - (ra_ * (z[kb] - za)) / dr;
          let slope = dr === 0 ? SLOPE_CLAMP : dphi / dr;
          z0 = z0 < -Z0_CLAMP_MM ? -Z0_CLAMP_MM : z0 > Z0_CLAMP_MM ? Z0_CLAMP_MM : z0;
          slope = slope < -SLOPE_CLAMP ? -SLOPE_CLAMP : slope > SLOPE_CLAMP ? SLOPE_CLAMP : slope;
          if (z0 < z0Lo || z0 > z0Hi || slope < slopeLo || slope > slopeHi) continue;
          out.push(order[ka], order[kb]);
        }
      }
    }
  }
  return out.finish();
}
