// Per-module bounding numbers in cylindrical coordinates (φ span, r and z range of the module's box incl.
// thickness), shared by the layer table (layer extents) and the detector index (lookup bins).
import type { Detectors } from '../trackml/types.ts';
import { wrapPhi } from './helix-math.ts';

/** Cylindrical extent of every module; all arrays indexed by module row. */
export interface ModuleExtents {
  /** φ of the module centre. */
  phiCentreRad: Float64Array;
  /** Largest |φ − φ centre| over the module box (π when the box surrounds the beam axis). */
  phiHalfWidthRad: Float64Array;
  rMinMm: Float64Array;
  rMaxMm: Float64Array;
  zMinMm: Float64Array;
  zMaxMm: Float64Array;
}

/** Local (u, v) sign of the trapezoid corners, counter-clockwise: the short side (minhu) at v = −hv. */
const CORNER_SIGN_U = [-1, 1, 1, -1];
const CORNER_SIGN_V = [-1, -1, 1, 1];

/** Distance in the xy plane from the origin to the segment a→b. */
function segmentDistanceXY(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const x = ax + t * dx;
  const y = ay + t * dy;
  return Math.sqrt(x * x + y * y);
}

export function computeModuleExtents(det: Detectors): ModuleExtents {
  const n = det.cx.length;
  const out: ModuleExtents = {
    phiCentreRad: new Float64Array(n),
    phiHalfWidthRad: new Float64Array(n),
    rMinMm: new Float64Array(n),
    rMaxMm: new Float64Array(n),
    zMinMm: new Float64Array(n),
    zMaxMm: new Float64Array(n),
  };
  const px = new Float64Array(8);
  const py = new Float64Array(8);
  const pz = new Float64Array(8);
  for (let i = 0; i < n; i++) {
    const r = det.rot;
    const o = 9 * i;
    const hv = det.halfVMm[i];
    const halfT = det.thicknessMm[i] / 2;
    // Box corners: 4 trapezoid corners on each face w = ±t/2.
    for (let face = 0; face < 2; face++) {
      const w = face === 0 ? -halfT : halfT;
      for (let c = 0; c < 4; c++) {
        const sv = CORNER_SIGN_V[c];
        const u = CORNER_SIGN_U[c] * (sv < 0 ? det.minHalfUMm[i] : det.maxHalfUMm[i]);
        const v = sv * hv;
        const k = face * 4 + c;
        px[k] = det.cx[i] + r[o] * u + r[o + 1] * v + r[o + 2] * w;
        py[k] = det.cy[i] + r[o + 3] * u + r[o + 4] * v + r[o + 5] * w;
        pz[k] = det.cz[i] + r[o + 6] * u + r[o + 7] * v + r[o + 8] * w;
      }
    }
    const phiC = Math.atan2(det.cy[i], det.cx[i]);
    let rMin = Infinity;
    let rMax = 0;
    let zMin = Infinity;
    let zMax = -Infinity;
    let halfWidth = 0;
    for (let k = 0; k < 8; k++) {
      rMax = Math.max(rMax, Math.sqrt(px[k] * px[k] + py[k] * py[k]));
      zMin = Math.min(zMin, pz[k]);
      zMax = Math.max(zMax, pz[k]);
      halfWidth = Math.max(halfWidth, Math.abs(wrapPhi(Math.atan2(py[k], px[k]) - phiC)));
    }
    for (let face = 0; face < 2; face++) {
      for (let c = 0; c < 4; c++) {
        const a = face * 4 + c;
        const b = face * 4 + ((c + 1) % 4);
        rMin = Math.min(rMin, segmentDistanceXY(px[a], py[a], px[b], py[b]));
      }
    }
    // A box that reaches the beam axis covers every φ.
    if (rMin < 1e-6 || halfWidth > Math.PI / 2) halfWidth = Math.PI;
    out.phiCentreRad[i] = phiC;
    out.phiHalfWidthRad[i] = halfWidth;
    out.rMinMm[i] = rMin;
    out.rMaxMm[i] = rMax;
    out.zMinMm[i] = zMin;
    out.zMaxMm[i] = zMax;
  }
  return out;
}
