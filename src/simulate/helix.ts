// Charged-particle helices in a uniform solenoid field along +z: position and direction at a transverse path
// length, crossings with nominal layer surfaces (cylinders r = R, planes z = Z) and exact crossings with a
// module plane by Newton's method. Units: mm, GeV, tesla. Pure math, no allocation in the hot functions.
import { radiusMmFromPt } from '../geometry/helix-math.ts';

/**
 * A helix from a start point. `t` is the transverse path length in mm (the arc length in x–y); z grows as
 * t · cotTheta. With B along +z a positive charge turns clockwise seen from +z: phi(t) = phi0 + omega · t with
 * omega = −q / R (verified on the real sample event: 416 of 417 particles bend this way).
 */
export class Helix {
  x0 = 0;
  y0 = 0;
  z0 = 0;
  phi0 = 0;
  cotTheta = 0;
  /** Signed curvature in rad per mm of transverse path; never exactly 0 (straight lines get a tiny value). */
  omega = 1e-12;
  /** Helix centre in x–y, its distance from the z axis and its azimuth (kept: the surface search asks every layer). */
  xc = 0;
  yc = 0;
  centreDist = 0;
  centrePhi = 0;

  /** Set from a point (mm), a momentum (GeV), a charge (±1) and the field (T). */
  set(x: number, y: number, z: number, px: number, py: number, pz: number, q: number, fieldT: number): void {
    const pt = Math.hypot(px, py);
    this.x0 = x;
    this.y0 = y;
    this.z0 = z;
    this.phi0 = Math.atan2(py, px);
    this.cotTheta = pz / pt;
    let omega = q === 0 ? 0 : -q / radiusMmFromPt(pt, fieldT);
    if (Math.abs(omega) < 1e-12) omega = omega < 0 ? -1e-12 : 1e-12;
    this.omega = omega;
    this.xc = x - Math.sin(this.phi0) / omega;
    this.yc = y + Math.cos(this.phi0) / omega;
    this.centreDist = Math.sqrt(this.xc * this.xc + this.yc * this.yc);
    this.centrePhi = Math.atan2(this.yc, this.xc);
  }

  /** Writes the position at transverse path t into out[0..2]. */
  position(t: number, out: Float64Array): void {
    const phi = this.phi0 + this.omega * t;
    out[0] = this.xc + Math.sin(phi) / this.omega;
    out[1] = this.yc - Math.cos(phi) / this.omega;
    out[2] = this.z0 + t * this.cotTheta;
  }

  /** Azimuth of the momentum at t. */
  phiAt(t: number): number {
    return this.phi0 + this.omega * t;
  }

  /** Transverse path of one full turn. */
  turnLength(): number {
    return (2 * Math.PI) / Math.abs(this.omega);
  }

  /**
   * The smallest t > tMin where the helix crosses the cylinder r = rMm (centred on the z axis) with z inside
   * [zLoMm, zHiMm], and — when `direction` is ±1 — moving outward (+1) or inward (−1). Returns NaN when there is
   * none before tMax.
   */
  nextCylinderCrossing(rMm: number, zLoMm: number, zHiMm: number, tMin: number, tMax: number, direction: number): number {
    const d = this.centreDist;
    const absR = 1 / Math.abs(this.omega);
    if (d < 1e-9) return Number.NaN; // circle centred on the axis: constant r, never crosses
    const k = (this.omega * (rMm * rMm - d * d - absR * absR)) / (2 * d);
    if (k < -1 || k > 1) return Number.NaN;
    const beta = this.centrePhi;
    const a = Math.asin(k);
    const period = this.turnLength();
    let best = Number.NaN;
    for (let sol = 0; sol < 2; sol++) {
      const phiS = beta + (sol === 0 ? a : Math.PI - a);
      // First t >= 0 with phi0 + omega t ≡ phiS (mod 2π).
      const dphi = (phiS - this.phi0) / this.omega; // may be negative or beyond a period
      let t = dphi - Math.floor(dphi / period) * period;
      if (t <= tMin) t += Math.ceil((tMin - t) / period + 1e-12) * period;
      if (t <= tMin) t += period;
      for (; t <= tMax; t += period) {
        const z = this.z0 + t * this.cotTheta;
        if (z < zLoMm || z > zHiMm) {
          // z is monotonic: once past the far edge in the direction of motion, no later turn can come back.
          if ((this.cotTheta >= 0 && z > zHiMm) || (this.cotTheta < 0 && z < zLoMm)) break;
          continue;
        }
        if (direction !== 0) {
          const phi = this.phi0 + this.omega * t;
          const x = this.xc + Math.sin(phi) / this.omega;
          const y = this.yc - Math.cos(phi) / this.omega;
          const radial = x * Math.cos(phi) + y * Math.sin(phi);
          if (radial * direction <= 0) continue;
        }
        if (!(t >= best)) best = t;
        break;
      }
    }
    return best;
  }

  /** The t > tMin where the helix crosses the plane z = zMm with r inside [rLoMm, rHiMm]; NaN if none before tMax. */
  planeCrossing(zMm: number, rLoMm: number, rHiMm: number, tMin: number, tMax: number): number {
    if (this.cotTheta === 0) return Number.NaN;
    const t = (zMm - this.z0) / this.cotTheta;
    if (!(t > tMin && t <= tMax)) return Number.NaN;
    const phi = this.phi0 + this.omega * t;
    const x = this.xc + Math.sin(phi) / this.omega;
    const y = this.yc - Math.cos(phi) / this.omega;
    const r2 = x * x + y * y;
    return (rLoMm <= 0 || r2 >= rLoMm * rLoMm) && r2 <= rHiMm * rHiMm ? t : Number.NaN;
  }

  /**
   * Exact crossing with the plane through (cx, cy, cz) with unit normal (nx, ny, nz), by Newton on t from the
   * guess t0. Returns NaN if it does not converge (the helix grazes the plane) or leaves [tLo, tHi].
   */
  planeIntersection(cx: number, cy: number, cz: number, nx: number, ny: number, nz: number, t0: number, tLo: number, tHi: number): number {
    let t = t0;
    const sinTheta = 1 / Math.hypot(1, this.cotTheta);
    for (let iter = 0; iter < 12; iter++) {
      const phi = this.phi0 + this.omega * t;
      const s = Math.sin(phi);
      const c = Math.cos(phi);
      const f = nx * (this.xc + s / this.omega - cx) + ny * (this.yc - c / this.omega - cy) + nz * (this.z0 + t * this.cotTheta - cz);
      const df = nx * c + ny * s + nz * this.cotTheta;
      // |df| · sinTheta is the cosine between the direction and the normal: skip near-parallel grazing.
      if (Math.abs(df) * sinTheta < 1e-4) return Number.NaN;
      const step = f / df;
      t -= step;
      if (Math.abs(step) < 1e-7) return t >= tLo && t <= tHi ? t : Number.NaN;
    }
    return Number.NaN;
  }
}
