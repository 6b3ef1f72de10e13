// Geometric edge builder (HEP.TrkX style): for each adjacent layer pair, join hits whose segment is compatible
// with a track of pT above the preset from the beamline: |Δφ| ≤ phiSlope·|Δr| (+ tolerance), |z0| ≤ z0Max where
// z0 is the segment's z at r = 0, and optionally |Δη| ≤ dEtaMax. Candidates come from a per-layer (φ-bin, u-sorted)
// index, u = z on barrel layers and r on disks, with the window each cut allows computed per hit.
import type { LayerModel } from './layers.ts';
import { wrapPhi } from '../geometry/helix-math.ts';

export interface GeometricCuts {
  /** Max |Δφ/Δr| (rad/mm): 0.001 ≈ pT ≥ 1 GeV, 0.0006 ≈ pT ≥ 0.5 GeV with margin for scattering. */
  phiSlopeMaxRadPerMm: number;
  /** Max |z| of the segment extrapolated to r = 0 (mm). */
  z0MaxMm: number;
  /** Max |Δη| between the two hits; Infinity disables the cut. */
  dEtaMax: number;
  /** Added to the φ window: absorbs hit resolution on segments with small Δr (disk to disk). */
  dPhiTolRad: number;
}

/** Node coordinates in the units the cuts use. All nodes must have a layer (index into model.layers). */
export interface NodeCoords {
  rMm: Float32Array;
  phiRad: Float32Array;
  zMm: Float32Array;
  layer: ArrayLike<number>;
}

export interface EdgeList {
  src: Uint32Array;
  dst: Uint32Array;
}

/** Growable (src, dst) list without per-edge allocation. */
export class EdgeBuffer {
  src: Uint32Array;
  dst: Uint32Array;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.src = new Uint32Array(capacity);
    this.dst = new Uint32Array(capacity);
  }
  push(a: number, b: number): void {
    if (this.length === this.src.length) {
      const src = new Uint32Array(this.src.length * 2);
      const dst = new Uint32Array(this.src.length * 2);
      src.set(this.src);
      dst.set(this.dst);
      this.src = src;
      this.dst = dst;
    }
    this.src[this.length] = a;
    this.dst[this.length] = b;
    this.length++;
  }
  finish(): EdgeList {
    return { src: this.src.slice(0, this.length), dst: this.dst.slice(0, this.length) };
  }
}

const TWO_PI = 2 * Math.PI;

/** The exact pair test shared by every search strategy. */
export function passesCuts(
  ra: number,
  phia: number,
  za: number,
  etaa: number,
  rb: number,
  phib: number,
  zb: number,
  etab: number,
  cuts: GeometricCuts,
): boolean {
  const dr = rb - ra;
  const dphi = wrapPhi(phib - phia);
  if (Math.abs(dphi) > cuts.phiSlopeMaxRadPerMm * Math.abs(dr) + cuts.dPhiTolRad) return false;
  if (dr === 0) return false; // parallel to the beam: z0 undefined
  const z0 = za - (ra * (zb - za)) / dr;
  if (Math.abs(z0) > cuts.z0MaxMm) return false;
  if (Math.abs(etab - etaa) > cuts.dEtaMax) return false;
  return true;
}

/** Per-layer search index: nodes sorted by (layer, φ bin, u). */
export interface LayerIndex {
  nPhiBins: number;
  /** Start of each (layer, φ bin) cell in the sorted arrays; length nLayers·nPhiBins + 1. */
  cellStart: Int32Array;
  node: Uint32Array;
  u: Float64Array;
  r: Float64Array;
  phi: Float64Array;
  z: Float64Array;
  eta: Float64Array;
  /** Extent of the hits actually present, per layer (mm): windows are clipped to these. */
  rMin: Float64Array;
  rMax: Float64Array;
  zMin: Float64Array;
  zMax: Float64Array;
  /** Start of each layer's block in the sorted arrays (length nLayers + 1). */
  layerStart: Int32Array;
}

export function buildLayerIndex(nodes: NodeCoords, model: LayerModel, nPhiBins: number): LayerIndex {
  const nLayers = model.layers.length;
  const n = nodes.rMm.length;
  const isBarrel = model.layers.map((l) => l.kind === 'barrel');
  const nCells = nLayers * nPhiBins;
  const cellOf = new Int32Array(n);
  const cellStart = new Int32Array(nCells + 1);
  for (let i = 0; i < n; i++) {
    let b = Math.floor(((nodes.phiRad[i] + Math.PI) / TWO_PI) * nPhiBins);
    if (b >= nPhiBins) b = nPhiBins - 1;
    if (b < 0) b = 0;
    const c = nodes.layer[i] * nPhiBins + b;
    cellOf[i] = c;
    cellStart[c + 1]++;
  }
  for (let c = 0; c < nCells; c++) cellStart[c + 1] += cellStart[c];
  const fill = cellStart.slice(0, nCells);
  const node = new Uint32Array(n);
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) node[fill[cellOf[i]]++] = i;
  for (let k = 0; k < n; k++) {
    const i = node[k];
    u[k] = isBarrel[nodes.layer[i]] ? nodes.zMm[i] : nodes.rMm[i];
  }
  // Insertion sort by u inside each cell (cells hold tens of hits).
  for (let c = 0; c < nCells; c++) {
    const lo = cellStart[c];
    const hi = cellStart[c + 1];
    for (let k = lo + 1; k < hi; k++) {
      const uk = u[k];
      const nk = node[k];
      let j = k - 1;
      while (j >= lo && u[j] > uk) {
        u[j + 1] = u[j];
        node[j + 1] = node[j];
        j--;
      }
      u[j + 1] = uk;
      node[j + 1] = nk;
    }
  }
  const r = new Float64Array(n);
  const phi = new Float64Array(n);
  const z = new Float64Array(n);
  const eta = new Float64Array(n);
  const rMin = new Float64Array(nLayers).fill(Infinity);
  const rMax = new Float64Array(nLayers).fill(-Infinity);
  const zMin = new Float64Array(nLayers).fill(Infinity);
  const zMax = new Float64Array(nLayers).fill(-Infinity);
  for (let k = 0; k < n; k++) {
    const i = node[k];
    r[k] = nodes.rMm[i];
    phi[k] = nodes.phiRad[i];
    z[k] = nodes.zMm[i];
    eta[k] = Math.asinh(z[k] / r[k]);
    const l = nodes.layer[i];
    if (r[k] < rMin[l]) rMin[l] = r[k];
    if (r[k] > rMax[l]) rMax[l] = r[k];
    if (z[k] < zMin[l]) zMin[l] = z[k];
    if (z[k] > zMax[l]) zMax[l] = z[k];
  }
  const layerStart = new Int32Array(nLayers + 1);
  for (let l = 0; l <= nLayers; l++) layerStart[l] = cellStart[l * nPhiBins];
  return { nPhiBins, cellStart, node, u, r, phi, z, eta, rMin, rMax, zMin, zMax, layerStart };
}

/** Window in layer B (u range and |Δφ| half-width) that can hold partners of a hit at (ra, za) under `cuts`;
 * undefined when none can. Written into `out` to avoid allocation: [uLo, uHi, dPhiMax]. */
export function searchWindow(
  ra: number,
  za: number,
  bBarrel: boolean,
  bRMin: number,
  bRMax: number,
  bZMin: number,
  bZMax: number,
  cuts: GeometricCuts,
  out: Float64Array,
): boolean {
  const Z = cuts.z0MaxMm;
  const margin = 1; // mm, for rounding at the window edges
  let uLo: number;
  let uHi: number;
  let drMax: number;
  if (bBarrel) {
    // zb = za + (za − z0)(rb − ra)/ra is bilinear in (z0, rb): extremes at the corners (unrolled: hot path).
    const k1 = (bRMin - ra) / ra;
    const k2 = (bRMax - ra) / ra;
    const c1 = za + (za + Z) * k1;
    const c2 = za + (za - Z) * k1;
    const c3 = za + (za + Z) * k2;
    const c4 = za + (za - Z) * k2;
    uLo = Math.min(c1, c2, c3, c4);
    uHi = Math.max(c1, c2, c3, c4);
    uLo = Math.max(uLo - margin, bZMin);
    uHi = Math.min(uHi + margin, bZMax);
    drMax = Math.max(Math.abs(bRMax - ra), Math.abs(bRMin - ra));
  } else {
    uLo = bRMin;
    uHi = bRMax;
    // rb = ra (zb − z0)/(za − z0): bounded only when za − z0 keeps its sign over the z0 range.
    if (Math.abs(za) > Z) {
      const d1 = ra / (za + Z);
      const d2 = ra / (za - Z);
      const c1 = (bZMin + Z) * d1;
      const c2 = (bZMax + Z) * d1;
      const c3 = (bZMin - Z) * d2;
      const c4 = (bZMax - Z) * d2;
      const lo = Math.min(c1, c2, c3, c4);
      const hi = Math.max(c1, c2, c3, c4);
      uLo = Math.max(lo - margin, bRMin);
      uHi = Math.min(hi + margin, bRMax);
    }
    drMax = Math.max(Math.abs(uHi - ra), Math.abs(uLo - ra));
  }
  if (uLo > uHi) return false;
  out[0] = uLo;
  out[1] = uHi;
  out[2] = Math.min(cuts.phiSlopeMaxRadPerMm * drMax + cuts.dPhiTolRad, Math.PI);
  return true;
}

/** Builds all edges between the model's layer pairs. Edges run from the pair's inner layer to its outer layer. */
export function buildGeometricEdges(
  nodes: NodeCoords,
  model: LayerModel,
  cuts: GeometricCuts,
  nPhiBins = 128,
  index: LayerIndex = buildLayerIndex(nodes, model, nPhiBins),
): EdgeList {
  const ix = index;
  const nb = ix.nPhiBins;
  const binWidth = TWO_PI / nb;
  const out = new EdgeBuffer(Math.max(1024, nodes.rMm.length * 8));
  const win = new Float64Array(3);
  for (const pair of model.pairs) {
    const A = pair.inner;
    const B = pair.outer;
    if (ix.layerStart[A] === ix.layerStart[A + 1] || ix.layerStart[B] === ix.layerStart[B + 1]) continue;
    const bBarrel = model.layers[B].kind === 'barrel';
    for (let ka = ix.layerStart[A]; ka < ix.layerStart[A + 1]; ka++) {
      const ra = ix.r[ka];
      const za = ix.z[ka];
      const phia = ix.phi[ka];
      const etaa = ix.eta[ka];
      if (!searchWindow(ra, za, bBarrel, ix.rMin[B], ix.rMax[B], ix.zMin[B], ix.zMax[B], cuts, win)) continue;
      const uLo = win[0];
      const uHi = win[1];
      const w = win[2];
      let b0 = Math.floor((phia - w + Math.PI) / binWidth);
      let b1 = Math.floor((phia + w + Math.PI) / binWidth);
      if (b1 - b0 + 1 >= nb) {
        b0 = 0;
        b1 = nb - 1;
      }
      const srcNode = ix.node[ka];
      for (let bb = b0; bb <= b1; bb++) {
        const cell = B * nb + (((bb % nb) + nb) % nb);
        let lo = ix.cellStart[cell];
        let hi = ix.cellStart[cell + 1];
        // Lower bound of uLo in the cell's sorted u.
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (ix.u[mid] < uLo) lo = mid + 1;
          else hi = mid;
        }
        const end = ix.cellStart[cell + 1];
        for (let kb = lo; kb < end && ix.u[kb] <= uHi; kb++) {
          if (passesCuts(ra, phia, za, etaa, ix.r[kb], ix.phi[kb], ix.z[kb], ix.eta[kb], cuts)) out.push(srcNode, ix.node[kb]);
        }
      }
    }
  }
  return out.finish();
}
