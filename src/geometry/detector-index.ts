// Fast lookups on a detector, built once: ordered layer surfaces, per-module frames as flat typed arrays,
// (volume, layer, module) → row, local↔global transforms, and a φ×z (barrel) / φ×r (endcap) bin grid per layer
// that answers "which modules of this layer may contain this point" without allocating.
import type { Detectors } from '../trackml/types.ts';
import { wrapPhi } from './helix-math.ts';
import { computeModuleExtents } from './module-shape.ts';

export type LayerKind = 'barrel' | 'endcap';

/** One detector layer: a barrel cylinder or an endcap disk, made of modules [moduleStart, moduleEnd). */
export interface LayerSurface {
  /** Position in `DetectorIndex.layers`. */
  index: number;
  volumeId: number;
  layerId: number;
  kind: LayerKind;
  /** −1 / +1: endcap at −z / +z; 0: barrel. */
  side: -1 | 0 | 1;
  /** Mean module-centre radius (barrel) or z (endcap), mm: the nominal surface. */
  nominalMm: number;
  /** Mean module-centre radius and z, mm. */
  rMm: number;
  zMm: number;
  /** Extent including module sizes and thickness, mm. */
  rMinMm: number;
  rMaxMm: number;
  zMinMm: number;
  zMaxMm: number;
  /** Module rows of this layer: moduleStart ≤ i < moduleEnd. */
  moduleStart: number;
  moduleEnd: number;
}

/** Default candidate margin, mm: room for a point slightly off the module plane. A caller whose point is on the
 * nominal surface rather than the module should pass (layer stagger × track slope) instead. */
export const DEFAULT_CANDIDATE_MARGIN_MM = 1;

/** Per-layer bin grid over (φ, b) with b = z for barrels, r for endcaps; CSR lists of module rows. */
interface LayerGrid {
  phiBins: number;
  phiBinRad: number;
  bMin: number;
  bBins: number;
  bBinMm: number;
  /** Bin (ip, ib) = ip * bBins + ib holds binModules[binStart[bin] … binStart[bin + 1]). */
  binStart: Int32Array;
  binModules: Int32Array;
}

export class DetectorIndex {
  readonly detector: Detectors;
  readonly moduleCount: number;
  /** Layers ordered by (volume, layer). */
  readonly layers: readonly LayerSurface[];
  readonly volumeId: Uint8Array;
  readonly layerId: Uint8Array;
  readonly moduleId: Uint16Array;
  /** Index into `layers` of each module. */
  readonly layerOfModule: Int32Array;
  /** 3 per module: centre x, y, z in mm. */
  readonly centre: Float64Array;
  /** 9 per module: u axis (x, y, z), v axis, w axis (= normal); unit vectors in global coordinates. */
  readonly axes: Float64Array;
  readonly minHalfUMm: Float64Array;
  readonly maxHalfUMm: Float64Array;
  readonly halfVMm: Float64Array;
  readonly thicknessMm: Float64Array;
  readonly pitchUMm: Float64Array;
  readonly pitchVMm: Float64Array;
  /** Per module: φ of the centre, the φ half-span of the module, and its z (barrel) or r (endcap) range. */
  readonly phiCentreRad: Float64Array;
  readonly phiHalfWidthRad: Float64Array;
  readonly bMinMm: Float64Array;
  readonly bMaxMm: Float64Array;

  private readonly layerByKey: Int32Array;
  private readonly moduleTableStart: Int32Array;
  private readonly moduleTableSize: Int32Array;
  private readonly moduleTable: Int32Array;
  private readonly grids: LayerGrid[];
  /** candidates() marks modules already returned with the current query number: dedupe without allocating. */
  private readonly seenStamp: Uint32Array;
  private stamp = 0;

  /** `det` must list each layer's modules contiguously (detectors.csv does; `loadDetector` guarantees it). */
  constructor(det: Detectors) {
    const n = det.cx.length;
    this.detector = det;
    this.moduleCount = n;
    this.volumeId = det.volumeId;
    this.layerId = det.layerId;
    this.moduleId = det.moduleId;
    this.minHalfUMm = det.minHalfUMm;
    this.maxHalfUMm = det.maxHalfUMm;
    this.halfVMm = det.halfVMm;
    this.thicknessMm = det.thicknessMm;
    this.pitchUMm = det.pitchUMm;
    this.pitchVMm = det.pitchVMm;

    this.centre = new Float64Array(3 * n);
    this.axes = new Float64Array(9 * n);
    for (let i = 0; i < n; i++) {
      this.centre[3 * i] = det.cx[i];
      this.centre[3 * i + 1] = det.cy[i];
      this.centre[3 * i + 2] = det.cz[i];
      // rot is row-major with columns u, v, w: axis a = (rot[a], rot[3 + a], rot[6 + a]).
      for (let a = 0; a < 3; a++) {
        this.axes[9 * i + 3 * a] = det.rot[9 * i + a];
        this.axes[9 * i + 3 * a + 1] = det.rot[9 * i + 3 + a];
        this.axes[9 * i + 3 * a + 2] = det.rot[9 * i + 6 + a];
      }
    }

    // Layers: runs of equal (volume, layer).
    const layers: LayerSurface[] = [];
    this.layerByKey = new Int32Array(256 * 256).fill(-1);
    this.layerOfModule = new Int32Array(n);
    for (let start = 0; start < n;) {
      let end = start + 1;
      while (end < n && det.volumeId[end] === det.volumeId[start] && det.layerId[end] === det.layerId[start]) end++;
      const key = det.volumeId[start] * 256 + det.layerId[start];
      if (this.layerByKey[key] !== -1) {
        throw new Error(`detector: modules of volume ${det.volumeId[start]} layer ${det.layerId[start]} are not contiguous`);
      }
      this.layerByKey[key] = layers.length;
      this.layerOfModule.fill(layers.length, start, end);
      layers.push({
        index: layers.length,
        volumeId: det.volumeId[start],
        layerId: det.layerId[start],
        kind: 'barrel',
        side: 0,
        nominalMm: 0,
        rMm: 0,
        zMm: 0,
        rMinMm: 0,
        rMaxMm: 0,
        zMinMm: 0,
        zMaxMm: 0,
        moduleStart: start,
        moduleEnd: end,
      });
      start = end;
    }
    // Order layers by (volume, layer) even if the file was not; module rows stay where they are.
    const order = layers.map((_, j) => j).sort((a, b) => layers[a].volumeId - layers[b].volumeId || layers[a].layerId - layers[b].layerId);
    const newIndexOf = new Int32Array(layers.length);
    order.forEach((old, j) => (newIndexOf[old] = j));
    for (let i = 0; i < n; i++) this.layerOfModule[i] = newIndexOf[this.layerOfModule[i]];
    for (let k = 0; k < this.layerByKey.length; k++) {
      if (this.layerByKey[k] !== -1) this.layerByKey[k] = newIndexOf[this.layerByKey[k]];
    }
    const sorted = order.map((old, j) => ({ ...layers[old], index: j }));

    const ext = computeModuleExtents(det);
    this.phiCentreRad = ext.phiCentreRad;
    this.phiHalfWidthRad = ext.phiHalfWidthRad;
    this.bMinMm = new Float64Array(n);
    this.bMaxMm = new Float64Array(n);
    for (const layer of sorted) {
      let endcapVotes = 0;
      let sumR = 0;
      let sumZ = 0;
      let rMin = Infinity;
      let rMax = -Infinity;
      let zMin = Infinity;
      let zMax = -Infinity;
      for (let i = layer.moduleStart; i < layer.moduleEnd; i++) {
        if (Math.abs(det.rot[9 * i + 8]) > 0.7) endcapVotes++; // w ≈ ±z: the module faces along the beam
        sumR += Math.sqrt(det.cx[i] * det.cx[i] + det.cy[i] * det.cy[i]);
        sumZ += det.cz[i];
        rMin = Math.min(rMin, ext.rMinMm[i]);
        rMax = Math.max(rMax, ext.rMaxMm[i]);
        zMin = Math.min(zMin, ext.zMinMm[i]);
        zMax = Math.max(zMax, ext.zMaxMm[i]);
      }
      const count = layer.moduleEnd - layer.moduleStart;
      layer.kind = endcapVotes * 2 > count ? 'endcap' : 'barrel';
      layer.rMm = sumR / count;
      layer.zMm = sumZ / count;
      layer.nominalMm = layer.kind === 'barrel' ? layer.rMm : layer.zMm;
      layer.side = layer.kind === 'barrel' ? 0 : layer.zMm < 0 ? -1 : 1;
      layer.rMinMm = rMin;
      layer.rMaxMm = rMax;
      layer.zMinMm = zMin;
      layer.zMaxMm = zMax;
      const barrel = layer.kind === 'barrel';
      for (let i = layer.moduleStart; i < layer.moduleEnd; i++) {
        this.bMinMm[i] = barrel ? ext.zMinMm[i] : ext.rMinMm[i];
        this.bMaxMm[i] = barrel ? ext.zMaxMm[i] : ext.rMaxMm[i];
      }
    }
    this.layers = sorted;

    // Dense (layer, module id) → row table.
    this.moduleTableStart = new Int32Array(sorted.length);
    this.moduleTableSize = new Int32Array(sorted.length);
    let total = 0;
    for (const layer of sorted) {
      let maxId = 0;
      for (let i = layer.moduleStart; i < layer.moduleEnd; i++) maxId = Math.max(maxId, det.moduleId[i]);
      this.moduleTableStart[layer.index] = total;
      this.moduleTableSize[layer.index] = maxId + 1;
      total += maxId + 1;
    }
    this.moduleTable = new Int32Array(total).fill(-1);
    for (const layer of sorted) {
      for (let i = layer.moduleStart; i < layer.moduleEnd; i++) {
        const slot = this.moduleTableStart[layer.index] + det.moduleId[i];
        if (this.moduleTable[slot] !== -1) {
          throw new Error(`detector: module ${det.volumeId[i]}/${det.layerId[i]}/${det.moduleId[i]} appears twice`);
        }
        this.moduleTable[slot] = i;
      }
    }

    this.grids = sorted.map((layer) => this.buildGrid(layer));
    this.seenStamp = new Uint32Array(n);
  }

  /** Index in `layers` of (volume, layer), or −1. */
  layerIndexOf(volumeId: number, layerId: number): number {
    if (volumeId < 0 || volumeId > 255 || layerId < 0 || layerId > 255) return -1;
    return this.layerByKey[volumeId * 256 + layerId];
  }

  /** Module row of (volume, layer, module id), or −1. */
  moduleIndexOf(volumeId: number, layerId: number, moduleId: number): number {
    const layer = this.layerIndexOf(volumeId, layerId);
    if (layer < 0 || moduleId < 0 || moduleId >= this.moduleTableSize[layer]) return -1;
    return this.moduleTable[this.moduleTableStart[layer] + moduleId];
  }

  /**
   * Modules of layer `layerIndex` whose bounds may contain a point within `marginMm` (in φ·r and in z for
   * barrels / r for endcaps) of (x, y, z); the point's radius (barrel) or z (endcap) is ignored, so a point on
   * the nominal surface finds the modules staggered around it. Writes module rows to `out` (no allocation) and
   * returns how many; stops when `out` is full (64 entries are plenty for margins up to ~10 mm).
   */
  candidates(layerIndex: number, xMm: number, yMm: number, zMm: number, out: Int32Array, marginMm = DEFAULT_CANDIDATE_MARGIN_MM): number {
    const layer = this.layers[layerIndex];
    const grid = this.grids[layerIndex];
    const rMm = Math.sqrt(xMm * xMm + yMm * yMm);
    const phi = Math.atan2(yMm, xMm);
    const b = layer.kind === 'barrel' ? zMm : rMm;
    // φ margin: the margin as an arc at this radius (never below the layer's inner edge, to stay finite).
    const dPhi = Math.min(Math.PI, marginMm / Math.max(rMm, layer.rMinMm, 1));

    let ib0 = Math.floor((b - marginMm - grid.bMin) / grid.bBinMm);
    let ib1 = Math.floor((b + marginMm - grid.bMin) / grid.bBinMm);
    if (ib1 < 0 || ib0 >= grid.bBins) return 0;
    if (ib0 < 0) ib0 = 0;
    if (ib1 >= grid.bBins) ib1 = grid.bBins - 1;
    const ip0 = Math.floor((phi - dPhi + Math.PI) / grid.phiBinRad);
    let ip1 = Math.floor((phi + dPhi + Math.PI) / grid.phiBinRad);
    if (ip1 - ip0 >= grid.phiBins) ip1 = ip0 + grid.phiBins - 1;

    this.stamp++;
    if (this.stamp === 0xffffffff) {
      this.seenStamp.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    let count = 0;
    for (let ipRaw = ip0; ipRaw <= ip1; ipRaw++) {
      const ip = ((ipRaw % grid.phiBins) + grid.phiBins) % grid.phiBins;
      for (let ib = ib0; ib <= ib1; ib++) {
        const bin = ip * grid.bBins + ib;
        for (let k = grid.binStart[bin]; k < grid.binStart[bin + 1]; k++) {
          const m = grid.binModules[k];
          if (this.seenStamp[m] === stamp) continue;
          this.seenStamp[m] = stamp;
          if (b < this.bMinMm[m] - marginMm || b > this.bMaxMm[m] + marginMm) continue;
          if (Math.abs(wrapPhi(phi - this.phiCentreRad[m])) > this.phiHalfWidthRad[m] + dPhi) continue;
          if (count === out.length) return count;
          out[count++] = m;
        }
      }
    }
    return count;
  }

  /** Global (x, y, z) → local (u, v, w) of `module`, written to out[0..2]; w is the distance from the plane. */
  toLocal(module: number, xMm: number, yMm: number, zMm: number, out: Float64Array): void {
    const c = 3 * module;
    const a = 9 * module;
    const dx = xMm - this.centre[c];
    const dy = yMm - this.centre[c + 1];
    const dz = zMm - this.centre[c + 2];
    const ax = this.axes;
    out[0] = dx * ax[a] + dy * ax[a + 1] + dz * ax[a + 2];
    out[1] = dx * ax[a + 3] + dy * ax[a + 4] + dz * ax[a + 5];
    out[2] = dx * ax[a + 6] + dy * ax[a + 7] + dz * ax[a + 8];
  }

  /** Local (u, v) on the module plane → global (x, y, z), written to out[0..2]. */
  toGlobal(module: number, uMm: number, vMm: number, out: Float64Array): void {
    const c = 3 * module;
    const a = 9 * module;
    const ax = this.axes;
    out[0] = this.centre[c] + uMm * ax[a] + vMm * ax[a + 3];
    out[1] = this.centre[c + 1] + uMm * ax[a + 1] + vMm * ax[a + 4];
    out[2] = this.centre[c + 2] + uMm * ax[a + 2] + vMm * ax[a + 5];
  }

  /** Whether local (u, v) lies inside the module's trapezoid (grown by `marginMm`): |v| ≤ hv and |u| ≤ the
   * half-width at v, which goes linearly from minhu at v = −hv to maxhu at v = +hv. */
  inBounds(module: number, uMm: number, vMm: number, marginMm = 0): boolean {
    const hv = this.halfVMm[module];
    if (vMm < -hv - marginMm || vMm > hv + marginMm) return false;
    const minHu = this.minHalfUMm[module];
    const halfU = minHu + ((this.maxHalfUMm[module] - minHu) * (vMm + hv)) / (2 * hv);
    return Math.abs(uMm) <= halfU + marginMm;
  }

  private buildGrid(layer: LayerSurface): LayerGrid {
    // Bins about half a module wide in φ and in z (barrel) / r (endcap): few modules per bin, few bins per query.
    let minPhiHalf = Math.PI;
    let minBSpan = Infinity;
    let bMin = Infinity;
    let bMax = -Infinity;
    for (let i = layer.moduleStart; i < layer.moduleEnd; i++) {
      minPhiHalf = Math.min(minPhiHalf, this.phiHalfWidthRad[i]);
      minBSpan = Math.min(minBSpan, this.bMaxMm[i] - this.bMinMm[i]);
      bMin = Math.min(bMin, this.bMinMm[i]);
      bMax = Math.max(bMax, this.bMaxMm[i]);
    }
    const phiBins = Math.max(1, Math.min(2048, Math.ceil((2 * Math.PI) / Math.max(minPhiHalf, 1e-4))));
    const phiBinRad = (2 * Math.PI) / phiBins;
    const bRange = Math.max(bMax - bMin, 1e-6);
    const bBins = Math.max(1, Math.min(1024, Math.ceil(bRange / Math.max(minBSpan / 2, 1e-3))));
    const bBinMm = bRange / bBins;

    const binCount = phiBins * bBins;
    const binStart = new Int32Array(binCount + 1);
    // Two passes over the same bin ranges: count, then fill.
    const visit = (i: number, emit: (bin: number) => void): void => {
      const half = this.phiHalfWidthRad[i];
      const ip0 = Math.floor((this.phiCentreRad[i] - half + Math.PI) / phiBinRad);
      let ip1 = Math.floor((this.phiCentreRad[i] + half + Math.PI) / phiBinRad);
      if (ip1 - ip0 >= phiBins) ip1 = ip0 + phiBins - 1;
      const ib0 = Math.max(0, Math.floor((this.bMinMm[i] - bMin) / bBinMm));
      const ib1 = Math.min(bBins - 1, Math.floor((this.bMaxMm[i] - bMin) / bBinMm));
      for (let ipRaw = ip0; ipRaw <= ip1; ipRaw++) {
        const ip = ((ipRaw % phiBins) + phiBins) % phiBins;
        for (let ib = ib0; ib <= ib1; ib++) emit(ip * bBins + ib);
      }
    };
    for (let i = layer.moduleStart; i < layer.moduleEnd; i++) visit(i, (bin) => binStart[bin + 1]++);
    for (let k = 0; k < binCount; k++) binStart[k + 1] += binStart[k];
    const binModules = new Int32Array(binStart[binCount]);
    const fill = binStart.slice(0, binCount);
    for (let i = layer.moduleStart; i < layer.moduleEnd; i++) visit(i, (bin) => (binModules[fill[bin]++] = i));
    return { phiBins, phiBinRad, bMin, bBins, bBinMm, binStart, binModules };
  }
}

/** Builds the lookup index of a detector (tens of ms for the 18,728 TrackML modules). */
export function buildDetectorIndex(det: Detectors): DetectorIndex {
  return new DetectorIndex(det);
}
