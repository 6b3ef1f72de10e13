// Layer model for graph building: the detector's layers (pixel and strip, barrel and endcap, both sides) ordered
// outward, which hit sits on which layer, and which layer pairs a track from the beamline region can join —
// derived by tracing sample helices through the layer surfaces, not written by hand.
import { radiusMmFromPt } from '../geometry/helix-math.ts';

/** One detector layer as graph building needs it: a cylinder (barrel) or a disk (endcap) with its extent. */
export interface LayerSpec {
  volumeId: number;
  layerId: number;
  kind: 'barrel' | 'endcap';
  rMinMm: number;
  rMaxMm: number;
  zMinMm: number;
  zMaxMm: number;
}

/** The TrackML pixel volumes (negative endcap, barrel, positive endcap). */
export const PIXEL_VOLUMES: readonly number[] = [7, 8, 9];

export interface LayerPair {
  /** Layer crossed first (inner) and second (outer), as indices into LayerModel.layers. */
  inner: number;
  outer: number;
  /** 1 = consecutive layers; 2 = one layer skipped between them (a missed hit). */
  step: 1 | 2;
}

export interface LayerModel {
  /** Ordered outward: by the distance from the origin of the layer's nearest point. */
  layers: LayerSpec[];
  /** (volumeId << 8 | layerId) → layer index, −1 where the pair is not a layer. */
  indexTable: Int16Array;
  pairs: LayerPair[];
}

export interface AdjacencyOptions {
  /** Beamline region the sample tracks start from: |z0| ≤ this (mm). */
  z0MaxMm: number;
  /** Lowest pT traced (GeV); lower pT bends more in r–z and reaches different disks. */
  minPtGeV: number;
  /** Also join layers with one layer between them (a track that missed one layer): everywhere (true), or only
   * disk to disk ('endcap', where gaps between module rings make most missed hits). */
  skipOne: boolean | 'endcap';
  /** Slack on layer extents when deciding whether a sample track crosses a layer (mm). */
  toleranceMm: number;
  /** Magnetic field (T), for the helix radius R = pT / (0.3 B). */
  bFieldT: number;
}

export const defaultAdjacencyOptions: AdjacencyOptions = {
  z0MaxMm: 200,
  minPtGeV: 0.5,
  skipOne: false,
  toleranceMm: 5,
  bFieldT: 2,
};

export function layerKey(volumeId: number, layerId: number): number {
  return (volumeId << 8) | layerId;
}

/** Builds the model for `layers` (any order; filtered by `volumes` when given). */
export function buildLayerModel(
  allLayers: readonly LayerSpec[],
  volumes: readonly number[] | undefined,
  options: Partial<AdjacencyOptions> = {},
): LayerModel {
  const opts = { ...defaultAdjacencyOptions, ...options };
  const layers = allLayers
    .filter((l) => volumes === undefined || volumes.includes(l.volumeId))
    .map((l) => ({ ...l }))
    .sort((a, b) => nearestDistanceMm(a) - nearestDistanceMm(b) || a.volumeId - b.volumeId || a.layerId - b.layerId);
  if (layers.length > 255) throw new Error(`buildLayerModel: ${layers.length} layers, at most 255 supported`);
  const indexTable = new Int16Array(1 << 16).fill(-1);
  layers.forEach((l, i) => (indexTable[layerKey(l.volumeId, l.layerId)] = i));
  // The layer pairs are traced on first use (~0.3 s of CPU at start-up): the geometric builder needs them, the
  // module-map and ring-map builders never ask.
  let pairs: LayerPair[] | undefined;
  return {
    layers,
    indexTable,
    get pairs() {
      return (pairs ??= deriveAdjacency(layers, opts));
    },
  };
}

function nearestDistanceMm(l: LayerSpec): number {
  const zNear = l.zMinMm <= 0 && l.zMaxMm >= 0 ? 0 : Math.min(Math.abs(l.zMinMm), Math.abs(l.zMaxMm));
  return Math.hypot(l.rMinMm, zNear);
}

/** Layer index per hit (−1 for hits on layers outside the model). */
export function layerOfHits(model: LayerModel, volumeId: Uint8Array, layerId: Uint8Array): Int16Array {
  const out = new Int16Array(volumeId.length);
  for (let i = 0; i < volumeId.length; i++) out[i] = model.indexTable[(volumeId[i] << 8) | layerId[i]];
  return out;
}

/**
 * Traces helices (in the r–z plane: r = 2R sin(s/2R), z = z0 + s·cotθ, s the transverse arc length, up to half a
 * turn) from z0 ∈ [−z0Max, z0Max] over η ∈ [−4.5, 4.5], for pT = minPt and pT = ∞, and records which layer follows
 * which. Layer surfaces are taken at their mid radius (barrel) or mid z (endcap).
 */
export function deriveAdjacency(layers: readonly LayerSpec[], opts: AdjacencyOptions): LayerPair[] {
  const n = layers.length;
  const seen = new Map<number, number>(); // inner * n + outer → step
  const crossS: number[] = [];
  const crossL: number[] = [];
  const radiiMm = [Number.POSITIVE_INFINITY, radiusMmFromPt(opts.minPtGeV, opts.bFieldT)];
  const nZ0 = 21;
  const nEta = 900;
  const tol = opts.toleranceMm;
  for (const radiusMm of radiiMm) {
    for (let iz = 0; iz < nZ0; iz++) {
      const z0 = -opts.z0MaxMm + (2 * opts.z0MaxMm * iz) / (nZ0 - 1);
      for (let ie = 0; ie < nEta; ie++) {
        const eta = -4.5 + (9 * ie) / (nEta - 1);
        const cotTheta = Math.sinh(eta);
        crossS.length = 0;
        crossL.length = 0;
        const sMax = Number.isFinite(radiusMm) ? Math.PI * radiusMm : Number.POSITIVE_INFINITY;
        for (let li = 0; li < n; li++) {
          const l = layers[li];
          if (l.kind === 'barrel') {
            const rMid = 0.5 * (l.rMinMm + l.rMaxMm);
            let s: number;
            if (Number.isFinite(radiusMm)) {
              if (rMid > 2 * radiusMm) continue;
              s = 2 * radiusMm * Math.asin(rMid / (2 * radiusMm));
            } else s = rMid;
            const z = z0 + s * cotTheta;
            if (z >= l.zMinMm - tol && z <= l.zMaxMm + tol) {
              crossS.push(s);
              crossL.push(li);
            }
          } else {
            const zMid = 0.5 * (l.zMinMm + l.zMaxMm);
            if (cotTheta === 0) continue;
            const s = (zMid - z0) / cotTheta;
            if (s <= 0 || s >= sMax) continue;
            const r = Number.isFinite(radiusMm) ? 2 * radiusMm * Math.sin(s / (2 * radiusMm)) : s;
            if (r >= l.rMinMm - tol && r <= l.rMaxMm + tol) {
              crossS.push(s);
              crossL.push(li);
            }
          }
        }
        const order = crossS.map((_, i) => i).sort((a, b) => crossS[a] - crossS[b]);
        for (let k = 0; k + 1 < order.length; k++) {
          const a = crossL[order[k]];
          const b = crossL[order[k + 1]];
          seen.set(a * n + b, 1);
          if (opts.skipOne !== false && k + 2 < order.length) {
            const c = crossL[order[k + 2]];
            const diskToDisk = layers[a].kind === 'endcap' && layers[c].kind === 'endcap';
            if ((opts.skipOne === true || diskToDisk) && !seen.has(a * n + c)) seen.set(a * n + c, 2);
          }
        }
      }
    }
  }
  const pairs: LayerPair[] = [];
  for (const [key, step] of seen) {
    const inner = Math.floor(key / n);
    const outer = key % n;
    // A pair seen both ways (possible only for odd geometries) is kept once, in layer order.
    if (seen.has(outer * n + inner) && outer < inner) continue;
    pairs.push({ inner, outer, step: step as 1 | 2 });
  }
  pairs.sort((p, q) => p.inner - q.inner || p.outer - q.outer);
  return pairs;
}

/** How well the adjacency covers truth: of the true segments (inner node, outer node) with their layers, how many
 * join a layer pair the model does not list (in either direction), and which pairs those are. */
export function adjacencyCoverage(
  model: LayerModel,
  segSrc: Uint32Array,
  segDst: Uint32Array,
  nodeLayer: ArrayLike<number>,
  keep: (segment: number) => boolean = () => true,
): { segments: number; notAdjacent: number; missingPairs: Record<string, number> } {
  const n = model.layers.length;
  const listed = new Uint8Array(n * n);
  for (const p of model.pairs) {
    listed[p.inner * n + p.outer] = 1;
    listed[p.outer * n + p.inner] = 1;
  }
  let segments = 0;
  let notAdjacent = 0;
  const missingPairs: Record<string, number> = {};
  for (let s = 0; s < segSrc.length; s++) {
    if (!keep(s)) continue;
    segments++;
    const a = nodeLayer[segSrc[s]];
    const b = nodeLayer[segDst[s]];
    if (listed[a * n + b]) continue;
    notAdjacent++;
    const la = model.layers[a];
    const lb = model.layers[b];
    const key = `${la.volumeId}/${la.layerId}>${lb.volumeId}/${lb.layerId}`;
    missingPairs[key] = (missingPairs[key] ?? 0) + 1;
  }
  return { segments, notAdjacent, missingPairs };
}
