// Turns a particle's crossing of a module into channels and a measured position, like the TrackML
// digitisation: the straight segment through the silicon thickness lights the channels it passes (plus
// neighbours within the charge-sharing distance); the hit is the (charge-weighted) centroid of those channels,
// so residuals are bounded by the pitch and clusters grow with the incidence angle.
import type { DetectorIndex } from '../geometry/index.ts';
import type { HitBuffer } from './hit-buffer.ts';
import type { Rng } from './rng.ts';

/** Mean total pixel cluster charge in the units of the real files' `value`: the real sample's clusters sum to
 * a median 0.30 (endcap) and 0.25 (barrel) whatever their length, so the charge does not grow with the path. */
export const PIXEL_CLUSTER_CHARGE = 0.28;
/** Pixels below this share of the cluster's largest cell are dropped (a readout threshold): trims the ends of
 * long barrel clusters to the real sample's lengths. */
const PIXEL_THRESHOLD_OF_MAX = 0.25;
const MAX_CLUSTER_CELLS = 64;
const cellU = new Int32Array(MAX_CLUSTER_CELLS);
const cellV = new Int32Array(MAX_CLUSTER_CELLS);
const cellQ = new Float64Array(MAX_CLUSTER_CELLS);
/** Cells in cellU/V/Q of the cluster being built (module state: no closure per crossing). */
let cellN = 0;
let cellMaxU = 0;
let cellMaxV = 0;

/** Adds charge q to channel (iu, iv) of the cluster being built, inside the module's cellMaxU × cellMaxV channels. */
function deposit(iu: number, iv: number, q: number): void {
  if (iu < 0 || iu >= cellMaxU || iv < 0 || iv >= cellMaxV) return;
  for (let k = 0; k < cellN; k++) {
    if (cellU[k] === iu && cellV[k] === iv) {
      cellQ[k] += q;
      return;
    }
  }
  if (cellN < MAX_CLUSTER_CELLS) {
    cellU[cellN] = iu;
    cellV[cellN] = iv;
    cellQ[cellN] = q;
    cellN++;
  }
}

/** Pulls local (u, v) into the module's trapezoid (|v| ≤ hv, |u| ≤ half-width at v, which runs from minhu at
 * v = −hv to maxhu at v = +hv): a channel centre near a slanted edge can lie just outside. Writes out[0..1]. */
export function clipToBounds(det: DetectorIndex, m: number, u: number, v: number, out: Float64Array): void {
  const hv = det.halfVMm[m];
  const vc = Math.min(hv, Math.max(-hv, v));
  const minHu = det.minHalfUMm[m];
  const halfU = minHu + ((det.maxHalfUMm[m] - minHu) * (vc + hv)) / (2 * hv);
  out[0] = Math.min(halfU, Math.max(-halfU, u));
  out[1] = vc;
}

/** Channel counts of a module: the u channels cover the long edge (maxhu), v channels cover 2·hv. */
export function channelCounts(det: DetectorIndex, m: number): [number, number] {
  return [
    Math.max(1, Math.round((2 * det.maxHalfUMm[m]) / det.pitchUMm[m])),
    Math.max(1, Math.round((2 * det.halfVMm[m]) / det.pitchVMm[m])),
  ];
}

/**
 * Digitises the crossing at local (u, v) on the mid-plane with local direction (du, dv, dw) (unit vector);
 * `sharingMm` / `sharingVMm`: charge-sharing distances across u and v channel edges; `lorentzTan`: tangent of
 * the Lorentz angle.
 * Appends the cells to the last hit of `hits` and writes the measured local (u, v) into outUV.
 * Pixels (`isPixel`) carry a charge, strips value 1 as in the real files.
 */
export function digitizeCrossing(
  det: DetectorIndex,
  m: number,
  u: number,
  v: number,
  du: number,
  dv: number,
  dw: number,
  isPixel: boolean,
  sharingMm: number,
  sharingVMm: number,
  rng: Rng,
  hits: HitBuffer,
  outUV: Float64Array,
  lorentzTan = 0,
): void {
  const pitchU = det.pitchUMm[m];
  const pitchV = det.pitchVMm[m];
  const halfU = det.maxHalfUMm[m];
  const halfV = det.halfVMm[m];
  const [nU, nV] = channelCounts(det, m);
  cellMaxU = nU;
  cellMaxV = nV;
  // The Lorentz drift (barrel pixels: E ⊥ B) widens the cluster in u like an extra slope tan θL (centred: the
  // drift shift is taken as calibrated away).
  const thickness = det.thicknessMm[m];
  // Segment through the thickness; grazing tracks are capped to a few mm (they would leave the module).
  const adw = Math.max(Math.abs(dw), 1e-3);
  let su = 0.5 * thickness * (du / adw + lorentzTan);
  let sv = (0.5 * thickness * dv) / adw;
  const half = Math.hypot(su, sv);
  if (half > 5) {
    su *= 5 / half;
    sv *= 5 / half;
  }
  const steps = Math.min(200, 1 + Math.ceil(4 * Math.max(Math.abs(2 * su) / pitchU, Math.abs(2 * sv) / pitchV)));
  // Landau-like fluctuation of the deposit (gamma with shape 3, mean 1).
  const totalCharge = isPixel ? (PIXEL_CLUSTER_CHARGE * rng.gamma(3)) / 3 : 1;
  const stepCharge = totalCharge / steps;
  cellN = 0;
  for (let s = 0; s < steps; s++) {
    const f = (s + 0.5) / steps - 0.5; // −0.5 … 0.5 along the segment
    const pu = u + 2 * f * su + halfU;
    const pv = v + 2 * f * sv + halfV;
    const iu = Math.floor(pu / pitchU);
    const iv = Math.floor(pv / pitchV);
    deposit(iu, iv, stepCharge);
    if (sharingMm > 0) {
      // Charge spreads to a neighbour when the path runs close to the channel edge.
      const fu = pu - iu * pitchU;
      if (fu < sharingMm) deposit(iu - 1, iv, stepCharge * 0.5 * (1 - fu / sharingMm));
      else if (pitchU - fu < sharingMm) deposit(iu + 1, iv, stepCharge * 0.5 * (1 - (pitchU - fu) / sharingMm));
    }
    if (sharingVMm > 0) {
      const fv = pv - iv * pitchV;
      if (fv < sharingVMm) deposit(iu, iv - 1, stepCharge * 0.5 * (1 - fv / sharingVMm));
      else if (pitchV - fv < sharingVMm) deposit(iu, iv + 1, stepCharge * 0.5 * (1 - (pitchV - fv) / sharingVMm));
    }
  }
  if (cellN === 0) {
    // The centre sits on the clipped edge: keep the nearest channel so every hit has a cell.
    cellU[0] = Math.min(nU - 1, Math.max(0, Math.floor((u + halfU) / pitchU)));
    cellV[0] = Math.min(nV - 1, Math.max(0, Math.floor((v + halfV) / pitchV)));
    cellQ[0] = totalCharge;
    cellN = 1;
  }
  if (isPixel && cellN > 1) {
    let maxQ = 0;
    for (let k = 0; k < cellN; k++) maxQ = Math.max(maxQ, cellQ[k]);
    let w = 0;
    for (let k = 0; k < cellN; k++) {
      if (cellQ[k] < PIXEL_THRESHOLD_OF_MAX * maxQ) continue;
      cellU[w] = cellU[k];
      cellV[w] = cellV[k];
      cellQ[w] = cellQ[k];
      w++;
    }
    cellN = w;
  }
  let sumQ = 0;
  let mu = 0;
  let mv = 0;
  for (let k = 0; k < cellN; k++) {
    const w = isPixel ? cellQ[k] : 1;
    sumQ += w;
    mu += w * ((cellU[k] + 0.5) * pitchU - halfU);
    mv += w * ((cellV[k] + 0.5) * pitchV - halfV);
    hits.addCell(cellU[k], cellV[k], isPixel ? cellQ[k] : 1);
  }
  clipToBounds(det, m, mu / sumQ, mv / sumQ, outUV);
}
